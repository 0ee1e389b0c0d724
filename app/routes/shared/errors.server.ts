import { data } from "react-router";
import { DomainError } from "~/errors";

/**
 * Runs a loader's or action's work and turns a DomainError a service threw (say, a record that
 * vanished between load and save) into the localized error page with its status, not a 500.
 */
export async function withDomainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw data({ code: error.code }, { status: error.status });
    throw error;
  }
}
