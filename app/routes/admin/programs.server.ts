export { listPrograms } from "~/modules/loyalty/program-admin.server";
export { translatedName as translatedNameOf } from "~/modules/loyalty/programs.server";
