import { describe, expect, it } from "vitest";
import {
  fittedName,
  ingressHostLabel,
  isDns1123Label,
  isLabelValue,
  labelValue,
  leaseShortName,
  namespaceName,
  nodePortServiceName,
} from "./names";

const PREFIX = "bidcloud-lease-";

describe("namespaceName", () => {
  it("is the prefix and the lease id when that is a DNS label", () => {
    expect(namespaceName("0197a3c2-5d1e-7c3a-9f00-1a2b3c4d5e6f", PREFIX)).toBe(
      "bidcloud-lease-0197a3c2-5d1e-7c3a-9f00-1a2b3c4d5e6f",
    );
  });

  it("stays a DNS label of at most 63 characters for any id, and tells apart ids that differ only in case", () => {
    for (const id of ["x".repeat(200), "Lease_42", "lease_42", "LEASE.42", "--", "ünïcode"]) {
      expect(isDns1123Label(namespaceName(id, PREFIX)), id).toBe(true);
    }
    expect(namespaceName("Lease_42", PREFIX)).not.toBe(namespaceName("lease_42", PREFIX));
    expect(namespaceName("ab", PREFIX)).not.toBe(namespaceName("AB", PREFIX));
  });
});

describe("names derived for a lease", () => {
  it("hashes the lease for its host label, so leases created together do not share a prefix", () => {
    const a = leaseShortName("0197a3c2-5d1e-7c3a-9f00-000000000001");
    const b = leaseShortName("0197a3c2-5d1e-7c3a-9f00-000000000002");
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(a.slice(0, 4)).not.toBe(b.slice(0, 4));
    expect(ingressHostLabel("l", "web", 8080)).toBe(`${leaseShortName("l")}-web-8080`);
  });

  it("cuts long names with a hash, keeping the suffix and the 63-character limit", () => {
    const long = "s".repeat(63);
    const name = nodePortServiceName(long);
    expect(name).toHaveLength(63);
    expect(name.endsWith("-np")).toBe(true);
    expect(isDns1123Label(name)).toBe(true);
    expect(fittedName("s".repeat(62) + "a", "-np")).not.toBe(fittedName("s".repeat(62) + "b", "-np"));
    expect(isDns1123Label(ingressHostLabel("lease", "x".repeat(63), 65_535))).toBe(true);
  });

  it("keeps a valid label value and turns anything else into one", () => {
    expect(labelValue("0197a3c2-5d1e")).toBe("0197a3c2-5d1e");
    for (const id of ["a/b c", "-x-", "y".repeat(100)]) expect(isLabelValue(labelValue(id)), id).toBe(true);
  });
});
