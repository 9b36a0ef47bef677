/**
 * Test-only (never import in app code): a PDF's text runs (one per drawn line of text), page by
 * page, read back with pdfjs with system fonts off, so a test sees what the embedded fonts print.
 */
export async function pdfPageRuns(bytes: Uint8Array): Promise<string[][]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({
    // A copy: pdfjs takes over the buffer it is given, and callers read their bytes again.
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const pages: string[][] = [];
  for (let i = 1; i <= doc.numPages; i += 1) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')));
  }
  return pages;
}

/** A PDF's text, page by page, its runs joined with whitespace folded. */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  return (await pdfPageRuns(bytes)).map((runs) => runs.join(' ').replace(/\s+/g, ' '));
}
