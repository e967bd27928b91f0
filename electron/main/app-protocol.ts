// Serves the window's page on app://interceptor/ from dist/renderer. The privileges must be
// registered before the app is ready; the handler is installed once it is.
import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { contentTypeOf, resolveStaticFile } from '../core/dashboard/static-files';
import { APP_SCHEME, pageResponseHeaders, requestedPath } from './app-page';

/** Call before `app.whenReady()`: a standard, secure origin (module scripts, clipboard), no CSP bypass. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, bypassCSP: false } },
  ]);
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: pageResponseHeaders('text/plain; charset=utf-8') });
}

export function serveAppScheme(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const urlPath = requestedPath(request.url);
    if (urlPath === null) return notFound();
    // Core's resolver keeps every request inside the folder: no dot files, traversal or symlinks out.
    const file = await resolveStaticFile(rendererDir, urlPath);
    if (file === null) return notFound();
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: pageResponseHeaders(contentTypeOf(file)) });
  });
}
