import { z } from "zod";
import { inviteUserSchema } from "~/routes/admin/user-schema";

/** A merchant owner's invitation: the admin's fields, the store among the owner's, role fixed. */
export const inviteStoreManagerSchema = inviteUserSchema
  .pick({ email: true, name: true, preferredLanguage: true })
  .extend({ storeId: z.uuid({ error: "users.errors.storeRequired" }) });
