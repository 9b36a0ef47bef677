import { readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The TrueType fonts the report PDF embeds (DejaVu Sans, licence in ./fonts/LICENSE.txt). The
 * built-in PDF fonts encode WinAnsi only (no star, no Cyrillic, no ₹); DejaVu Sans covers Latin,
 * Greek, Cyrillic and the symbols the report prints. pdfkit embeds only the glyphs used.
 *
 * Read from a path resolved at run time, not bundled: `next build` copies nothing it cannot see,
 * so next.config.mjs lists this folder in outputFileTracingIncludes for the PDF route.
 */

export const PDF_FONT_DIR = path.join(process.cwd(), 'lib', 'server', 'report-export', 'fonts');

export type PdfFonts = { regular: Buffer; bold: Buffer };

let loaded: PdfFonts | null = null;

/** The font files, read once per process. Throws (a clear error) when the files are missing. */
export function pdfFonts(): PdfFonts {
  if (!loaded) {
    const read = (file: string) => {
      const at = path.join(PDF_FONT_DIR, file);
      try {
        return readFileSync(at);
      } catch (error) {
        throw new Error(`The report PDF font ${at} is missing`, { cause: error });
      }
    };
    loaded = { regular: read('DejaVuSans.ttf'), bold: read('DejaVuSans-Bold.ttf') };
  }
  return loaded;
}
