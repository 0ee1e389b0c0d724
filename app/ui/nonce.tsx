import { createContext, useContext } from "react";
import type { Surface } from "~/i18n/i18n";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
/** The CSP nonce of this response (empty in the browser, where it is not needed). */
export const useNonce = () => useContext(NonceContext);

const SurfaceContext = createContext<Surface>("storefront");
export const SurfaceProvider = SurfaceContext.Provider;
/** Which surface renders this document (decides the strings sent to the browser). */
export const useSurface = () => useContext(SurfaceContext);
