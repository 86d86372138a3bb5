import { describe, expect, it } from "vitest";
import { parseAutoTopUpForm, WithdrawFormSchema } from "./escrow-forms.schemas";

describe("parseAutoTopUpForm", () => {
  it("reads an unchecked switch as auto top-up off, whatever the other fields hold", () => {
    expect(parseAutoTopUpForm({ deploymentId: "d1", topUpAmount: "50", belowHours: "x" })).toEqual({
      deploymentId: "d1",
      setting: null,
    });
  });

  it("turns hours into seconds and leaves the amount for the use case to parse", () => {
    expect(
      parseAutoTopUpForm({ deploymentId: "d1", enabled: "on", topUpAmount: " 25.50 ", belowHours: "6" }),
    ).toEqual({
      deploymentId: "d1",
      setting: { amount: "25.50", belowSeconds: 21_600 },
    });
  });

  it("names belowHours when the hours are missing, fractional, out of range or not plain digits", () => {
    for (const belowHours of ["", "1.5", "0", "721", "six", "0x18", "1e1", " -2"]) {
      const attempt = () =>
        parseAutoTopUpForm({ deploymentId: "d1", enabled: "on", topUpAmount: "5", belowHours });
      expect(attempt).toThrow(/whole number of hours from 1 to 720/);
    }
  });
});

describe("WithdrawFormSchema", () => {
  const requestKey = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

  it("treats an empty address as the managed wallet", () => {
    expect(WithdrawFormSchema.parse({ to: "  ", requestKey }).to).toBeUndefined();
  });

  it("accepts a 20-byte hex address and refuses anything else", () => {
    const to = `0x${"ab".repeat(20)}`;
    expect(WithdrawFormSchema.parse({ to, requestKey }).to).toBe(to);
    const refused = WithdrawFormSchema.safeParse({ to: "0x1234", requestKey });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["to"]);
  });
});
