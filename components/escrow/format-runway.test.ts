import { describe, expect, it } from "vitest";
import { formatRunway } from "./format-runway";

describe("formatRunway", () => {
  it("says less than a minute below 60 seconds, and for an empty or overdrawn escrow", () => {
    expect(formatRunway(0n)).toBe("less than a minute");
    expect(formatRunway(59n)).toBe("less than a minute");
    expect(formatRunway(-30n)).toBe("less than a minute");
  });

  it("counts whole minutes below an hour", () => {
    expect(formatRunway(60n)).toBe("1 min");
    expect(formatRunway(45n * 60n + 59n)).toBe("45 min");
    expect(formatRunway(3599n)).toBe("59 min");
  });

  it("shows hours and minutes below a day, leaving out zero minutes", () => {
    expect(formatRunway(3600n)).toBe("1 h");
    expect(formatRunway(5n * 3600n + 10n * 60n + 42n)).toBe("5 h 10 min");
    expect(formatRunway(86_399n)).toBe("23 h 59 min");
  });

  it("shows days and hours from a day on, leaving out zero hours", () => {
    expect(formatRunway(86_400n)).toBe("1 d");
    expect(formatRunway(2n * 86_400n + 3n * 3600n + 59n * 60n)).toBe("2 d 3 h");
    expect(formatRunway(400n * 86_400n)).toBe("400 d");
  });

  it("handles runways far beyond a JS number's exact range", () => {
    expect(formatRunway(10n ** 30n)).toBe(`${10n ** 30n / 86_400n} d ${(10n ** 30n % 86_400n) / 3600n} h`);
  });
});
