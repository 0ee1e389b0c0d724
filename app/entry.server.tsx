import { PassThrough, Writable } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import type { ReactNode } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { type AppLoadContext, type EntryContext, ServerRouter } from "react-router";
import { createRenderMemo, type DocumentInput } from "~/http/render-memo.server";
import type { RouteHandle } from "~/http/route-handle";
import type { Surface } from "~/i18n/i18n";
import { surfaceHydrates } from "~/ui/document";
import { NonceProvider, SurfaceProvider } from "~/ui/nonce";

export const streamTimeout = 5_000;

/** Pages whose every route renders from its inputs alone, rendered once per distinct input (ADR 036). */
export const renderMemo = createRenderMemo();

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  const surface = documentSurface(routerContext, loadContext);
  // A page that does not hydrate (ADR 043) carries no router state: nothing in it would read it.
  const context = surfaceHydrates(surface) ? routerContext : { ...routerContext, serverHandoffStream: undefined };
  const documentWith = (nonce: string) => (
    <NonceProvider value={nonce}>
      <SurfaceProvider value={surface}>
        <I18nextProvider i18n={loadContext.i18n}>
          <ServerRouter context={context} url={request.url} nonce={nonce} />
        </I18nextProvider>
      </SurfaceProvider>
    </NonceProvider>
  );
  const input = memoizableDocument(request, responseStatusCode, routerContext, loadContext, surface);
  if (input) {
    return renderMemo
      .page(input, loadContext.nonce, (nonce) => renderWhole(documentWith(nonce), nonce, loadContext))
      .then(({ html, failed }) => {
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        return new Response(html, { headers: responseHeaders, status: failed ? 500 : responseStatusCode });
      });
  }
  return renderStreaming(
    documentWith(loadContext.nonce),
    request,
    responseStatusCode,
    responseHeaders,
    routerContext,
    loadContext,
  );
}

/**
 * What the page is a function of, when it may come from the memo: a GET answered 200 without errors
 * or action data, whose every matched route says it renders from its inputs alone (`renderMemo`).
 */
function memoizableDocument(
  request: Request,
  status: number,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
  surface: Surface,
): DocumentInput | undefined {
  const { matches, loaderData, actionData, errors } = routerContext.staticHandlerContext;
  if (request.method.toUpperCase() !== "GET" || status !== 200 || errors || actionData) return undefined;
  if (!matches.every((match) => (match.route.handle as RouteHandle | undefined)?.renderMemo)) return undefined;
  return {
    build: routerContext.manifest.version,
    url: request.url,
    status,
    locale: loadContext.i18n.language,
    surface,
    routeIds: matches.map((match) => match.route.id),
    loaderData,
    actionData,
    errors,
  };
}

/** The whole page as one string (one write to the socket), the data streams included. */
function renderWhole(
  document: ReactNode,
  nonce: string,
  loadContext: AppLoadContext,
): Promise<{ html: string; failed: boolean }> {
  return new Promise((resolve, reject) => {
    const errors: unknown[] = [];
    const chunks: Buffer[] = [];
    const timeoutId = setTimeout(() => abort(), streamTimeout + 1000);
    const { pipe, abort } = renderToPipeableStream(document, {
      nonce,
      onAllReady() {
        // An error inside a boundary leaves it to the browser: served with status 500, never memoized.
        for (const error of errors) loadContext.logger.error({ err: error }, "error while rendering a page");
        pipe(
          new Writable({
            write(chunk: Buffer, _encoding, callback) {
              chunks.push(chunk);
              callback();
            },
            final(callback) {
              clearTimeout(timeoutId);
              resolve({ html: Buffer.concat(chunks).toString("utf8"), failed: errors.length > 0 });
              callback();
            },
          }),
        );
      },
      onShellError(error: unknown) {
        clearTimeout(timeoutId);
        reject(error);
      },
      onError(error: unknown) {
        errors.push(error);
      },
    });
  });
}

function renderStreaming(
  document: ReactNode,
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const userAgent = request.headers.get("user-agent");
    const readyOption = (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000);
    const { pipe, abort } = renderToPipeableStream(document, {
      nonce: loadContext.nonce,
      [readyOption]() {
        shellRendered = true;
        const body = new PassThrough({
          final(callback) {
            clearTimeout(timeoutId);
            timeoutId = undefined;
            callback();
          },
        });
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        pipe(body);
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) loadContext.logger.error({ err: error }, "error while streaming a page");
      },
    });
  });
}

/** Whose strings the document carries: the matched routes' own (the terminal), else the host's. */
function documentSurface(routerContext: EntryContext, loadContext: AppLoadContext): Surface {
  const own = routerContext.staticHandlerContext.matches
    .map((match) => (match.route.handle as RouteHandle | undefined)?.strings)
    .find((strings) => strings !== undefined);
  return own ?? (loadContext.tenant.kind === "platform" ? "platform" : "storefront");
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  // The request's logger already carries its loggable path (secret tokens replaced).
  context.logger.error({ err: error }, "unhandled error in a loader or action");
}
