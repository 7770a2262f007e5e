import { describe, expect, it } from "vitest";
import { type OpenApiDoc, specOperations } from "../../tools/fakes/kit/spec";
import { OpenApiValidator } from "./openapi-validator";

const json = (schema: Record<string, unknown>) => ({ content: { "application/json": { schema } } });
const DOC: OpenApiDoc<Record<string, unknown>> = {
  paths: {
    "/things/{id}": {
      put: {
        operationId: "putThing",
        parameters: [{ name: "id", in: "path", schema: { type: "string", pattern: "^[a-z]+$" } }],
        requestBody: { required: true, ...json({ $ref: "#/components/schemas/Thing" }) },
        responses: {
          "200": json({ $ref: "#/components/schemas/Thing" }),
          "4XX": json({ $ref: "#/components/schemas/Error" }),
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
      Error: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    },
  },
};
const op = specOperations(DOC)[0]!;

describe("OpenApiValidator", () => {
  it("checks path parameters and bodies against the document's own schemas", () => {
    const strict = new OpenApiValidator(DOC, { id: "things.json", closeObjects: true });
    expect(strict.params(op, { id: "abc" })).toEqual([]);
    expect(strict.params(op, { id: "ABC" })).toEqual([`id: must match pattern "^[a-z]+$"`]);
    expect(strict.body(op, undefined)).toEqual(["body: is required"]);
    expect(strict.body(op, { name: 1 })).toEqual(["body/name: must be string"]);
    expect(strict.body(op, { name: "a", typo: 1 })).toEqual([
      "body: must NOT have additional properties (typo)",
    ]);
    const open = new OpenApiValidator(DOC, { id: "things-open.json", closeObjects: false });
    expect(open.body(op, { name: "a", typo: 1 })).toEqual([]);
  });

  it("checks a success against its declared status, and any answer against its status or range", () => {
    const v = new OpenApiValidator(DOC, { id: "things-answers.json", closeObjects: true });
    expect(v.response(op, 200, { name: "a" })).toEqual([]);
    expect(v.response(op, 201, { name: "a" })).toEqual(["status 201 is not a declared response of putThing"]);
    expect(v.response(op, 404, {})).toEqual([]);
    expect(v.answer(op, 404, { message: "gone" })).toEqual([]);
    expect(v.answer(op, 409, {})).toEqual(["answer: must have required property 'message'"]);
    expect(v.answer(op, 500, { message: "x" })).toEqual(["the spec documents no 500 answer for putThing"]);
  });
});
