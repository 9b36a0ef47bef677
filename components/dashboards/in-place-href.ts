/** What ClientLinks knows of a click on a link: the link's attributes and the event's keys. */
export type LinkClick = {
  /** The link's resolved address (`a.href`). */
  href: string;
  /** The link's `target` attribute ('' when absent). */
  target: string;
  download: boolean;
  button: number;
  modified: boolean;
  defaultPrevented: boolean;
};

/**
 * The path a click on a plain link should open in place, through the app's router (what next/link
 * does), or null to leave the click to the browser: another button, a modifier key (new tab or
 * window), a target or download, another origin, or a click something else handled already.
 */
export function inPlaceHref(click: LinkClick, origin: string): string | null {
  if (click.defaultPrevented || click.button !== 0 || click.modified || click.download) return null;
  if (click.target !== '' && click.target !== '_self') return null;
  const url = new URL(click.href, origin);
  if (url.origin !== origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
