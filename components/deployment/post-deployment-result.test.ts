import { describe, expect, it } from "vitest";
import { CreateDeploymentSchema } from "@/lib/deployments/deployment.schemas";
import { AppError } from "@/lib/errors";
import { postDeploymentFailed } from "./post-deployment-result";

describe("postDeploymentFailed", () => {
  it("puts SDL problems at their lines for the editor and names them in the message", () => {
    const error = new AppError("VALIDATION", "the SDL is not valid", {
      fields: [
        {
          path: "sdl.profiles.compute.vllm.resources.cpu.units",
          line: 30,
          message: "must be greater than 0",
        },
        { path: "sdl", line: 1, message: "is not valid YAML" },
      ],
    });
    const result = postDeploymentFailed(error);
    expect(result.sdlProblems).toEqual([
      { path: "profiles.compute.vllm.resources.cpu.units", line: 30, message: "must be greater than 0" },
      { path: "", line: 1, message: "is not valid YAML" },
    ]);
    expect(result.fields).toEqual({});
    expect(result.error).toBe("The SDL has 2 problems; see the marked lines.");
  });

  it("keeps other fields for the inputs that hold them", () => {
    const error = new AppError("VALIDATION", "maxPricePerHour names no placement group of this SDL: web", {
      fields: [{ path: "maxPricePerHour.web", message: "is not a placement group of the SDL" }],
    });
    const result = postDeploymentFailed(error);
    expect(result.sdlProblems).toEqual([]);
    expect(result.fields).toEqual({ "maxPricePerHour.web": "is not a placement group of the SDL" });
    expect(result.error).toBe("maxPricePerHour names no placement group of this SDL: web.");
  });

  it("names the fields of a request the schema refuses", () => {
    const parsed = CreateDeploymentSchema.safeParse({
      sdl: "version: '2.0'",
      autoAccept: true,
      autoAcceptSeconds: 0,
      maxPricePerHour: { dcloud: "1.1234567" },
    });
    expect(parsed.success).toBe(false);
    const result = postDeploymentFailed(parsed.error);
    expect(Object.keys(result.fields).sort()).toEqual(["autoAcceptSeconds", "maxPricePerHour.dcloud"]);
  });

  it("hides unexpected errors behind a generic message", () => {
    const result = postDeploymentFailed(new Error("connection refused by the database"));
    expect(result.error).toBe("Something went wrong on our side. Please try again.");
    expect(result.sdlProblems).toEqual([]);
  });
});
