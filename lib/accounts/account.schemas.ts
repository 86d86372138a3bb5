import { z } from "zod";
import { ROLES } from "@/lib/auth/principal";

export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "must be an email address" }))
  .transform((email) => email.toLowerCase());

export const PasswordSchema = z
  .string()
  .min(10, { message: "must be at least 10 characters" })
  .max(200, { message: "must be at most 200 characters" });

export const SignUpRoleSchema = z.enum(["tenant", "provider"]);

export const CreateAccountSchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
  roles: z
    .array(SignUpRoleSchema)
    .min(1, { message: "must name at least one of tenant, provider" })
    .max(2)
    .default(["tenant"]),
});
export type CreateAccountInput = z.infer<typeof CreateAccountSchema>;

export const ApiKeyNameSchema = z
  .string()
  .trim()
  .min(1, { message: "is required" })
  .max(64)
  // PostgreSQL text cannot hold U+0000; refuse it here rather than fail the insert.
  .refine((value) => !value.includes("\u0000"), { message: "must not contain NUL characters" });

export const RoleSchema = z.enum(ROLES);
