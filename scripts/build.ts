import { buildApp } from "~/build.server";

/** `npm run build`: the production build, recorded so `npm start` knows it is current. */
buildApp();
