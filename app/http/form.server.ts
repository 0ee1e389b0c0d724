import { badRequest } from "~/errors";

/**
 * The submitted form, or the localized "bad request" page (400) when the body is not one: a
 * broken multipart boundary, JSON posted to a form action. The one way actions read their form.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw badRequest();
  }
}
