import { z } from "zod";

/**
 * The escrow forms' fields as the dashboard posts them. Amounts stay decimal strings here:
 * the escrow use cases parse them into base units and name the field when one is wrong.
 */
const Id = z.string().trim().min(1, { message: "is required" }).max(64);
/** One submission of a form; the same key twice moves money once. */
const RequestKey = z.string().trim().min(8).max(100);

export const DepositFormSchema = z.object({
  deploymentId: Id,
  amount: z.string().trim(),
  requestKey: RequestKey,
});

const MAX_BELOW_HOURS = 720;

export const AutoTopUpFormSchema = z.object({
  deploymentId: Id,
  enabled: z.literal("on").optional(),
  topUpAmount: z.string().trim().optional(),
  belowHours: z.string().trim().optional(),
});

const BELOW_HOURS_MESSAGE = `must be a whole number of hours from 1 to ${MAX_BELOW_HOURS}`;
// Digits only: Number() would also read "0x18" or "1e1".
const BelowHours = z
  .string({ message: BELOW_HOURS_MESSAGE })
  .regex(/^\d{1,6}$/, { message: BELOW_HOURS_MESSAGE })
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(1, { message: BELOW_HOURS_MESSAGE })
      .max(MAX_BELOW_HOURS, { message: BELOW_HOURS_MESSAGE }),
  );

/** The auto top-up form as the use case takes it: off (null), or an amount below a runway in seconds. */
export function parseAutoTopUpForm(values: Record<string, unknown>): {
  deploymentId: string;
  setting: { amount: string; belowSeconds: number } | null;
} {
  const form = AutoTopUpFormSchema.parse(values);
  if (!form.enabled) return { deploymentId: form.deploymentId, setting: null };
  const hours = z.object({ belowHours: BelowHours }).parse({ belowHours: form.belowHours || undefined });
  return {
    deploymentId: form.deploymentId,
    setting: { amount: form.topUpAmount ?? "", belowSeconds: hours.belowHours * 3600 },
  };
}

/** The use case names the amount "amount"; the auto top-up form's input is "topUpAmount". */
export const AUTO_TOP_UP_FIELD_ALIASES = { amount: "topUpAmount", belowSeconds: "belowHours" };

export const WithdrawFormSchema = z.object({
  to: z
    .string()
    .trim()
    .transform((value) => value || undefined)
    .pipe(
      z
        .string()
        .regex(/^0x[0-9a-fA-F]{40}$/, { message: "must be a 0x address with 40 hex digits" })
        .optional(),
    )
    .optional(),
  requestKey: RequestKey,
});

export const ChainTxIdFormSchema = z.object({ id: Id });
