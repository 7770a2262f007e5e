import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/** A validator for the SARIF 2.1.0 JSON schema (draft-04), shipped by an npm package so it runs offline. */
export function sarifValidator(): (document: unknown) => string[] {
  const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as object;
  // The schema's language-tag pattern is not valid as a unicode regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (document) =>
    validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
