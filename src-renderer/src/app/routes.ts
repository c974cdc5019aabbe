/*
 * Hash routes (#/pickup, #/browse/participants ...): they survive the station's token handling
 * (which rewrites only the query) and load the same in Electron's file:// page and in a browser.
 */
export const pages = ['pickup', 'walkup', 'browse', 'results', 'sync', 'settings'] as const;
export type PageId = (typeof pages)[number];

export const browseTabs = ['participants', 'events', 'results'] as const;
export type BrowseTab = (typeof browseTabs)[number];

export interface Route {
  page: PageId;
  /** Second path segment, e.g. the browse tab. */
  sub: string | null;
}

export function parseRoute(hash: string): Route {
  const [page, sub] = hash.replace(/^#\/?/, '').split('/');
  if ((pages as readonly string[]).includes(page)) return { page: page as PageId, sub: sub || null };
  return { page: 'pickup', sub: null };
}

export function routeHash(route: Route): string {
  return `#/${route.page}${route.sub ? `/${route.sub}` : ''}`;
}
