/**
 * Reads the route tables of docs/api.md, so a test can compare them with the OpenAPI document.
 * A route row is a Markdown table row whose first cell is `` `METHOD /path` `` (path parameters as `:id`).
 * Rows under a heading containing "planned: not yet served" are planned; every other route row is served.
 */
const ROUTE_ROW = /^\|\s*`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`\s*\|/;
const PLANNED_HEADING = 'planned: not yet served';

interface DocumentedRoutes {
  served: string[];
  planned: string[];
}

export function documentedRoutes(markdown: string): DocumentedRoutes {
  const routes: DocumentedRoutes = { served: [], planned: [] };
  let planned = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('#')) planned = line.toLowerCase().includes(PLANNED_HEADING);
    const row = ROUTE_ROW.exec(line);
    if (row) (planned ? routes.planned : routes.served).push(`${row[1]} ${row[2]}`);
  }
  return routes;
}

/** `METHOD /path` of every operation of an OpenAPI document, `{id}` written `:id` as in docs/api.md. */
export function openApiRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
  );
}
