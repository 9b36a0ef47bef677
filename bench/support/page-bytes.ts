// How a server-rendered page's bytes split between its HTML and React's payload (the RSC stream
// inlined as `self.__next_f.push(...)` scripts, which hydration and client navigation read).

export type PageBytes = { total: number; html: number; payload: number };

const PAYLOAD_SCRIPT = /<script[^>]*>self\.__next_f\.push\([\s\S]*?<\/script>/g;

/** Bytes (UTF-8) of a page, of its inlined React payload scripts, and of the rest (the HTML). */
export function pageBytes(page: string): PageBytes {
  const total = Buffer.byteLength(page);
  let payload = 0;
  for (const m of page.matchAll(PAYLOAD_SCRIPT)) payload += Buffer.byteLength(m[0]);
  return { total, html: total - payload, payload };
}
