// The edit CONTRIBUTING.md walks a contributor through: one optional response field with a
// description, a second example under a response that already has one (using the new field),
// and a changeset under a random name, as `pnpm changeset` would pick. The field's name is one
// no other suite adds: spec-diff's tests add `renewal_hint` and expect it to be new.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { RepoCopy } from "./repo-copy.js";

/** The optional field the edit adds to `Tips`. */
export const NEW_FIELD = "renewal_advice";

/** The schema file that gets the new field. */
export const SCHEMA_FILE = "spec/components/schemas/Tips.yaml";

/** The operation whose 200 response gets a second example. */
export const OPERATION_ID = "ValidateTenantPackageIsExpired";

/** The path file that documents that operation. */
export const PATH_FILE = "spec/paths/pipeline-package-count-down.yaml";

/** The name of the added example, in the response's `examples` and as its file's name. */
export const NEW_EXAMPLE = "ValidateTenantPackageIsExpiredRenewalHint";

/** A value of the new field that appears nowhere else in the spec. */
export const NEW_FIELD_VALUE = "Renew before the grace period starts to keep the pipelines running.";

/** Edits a YAML file of the copy through its document model, so comments and layout survive. */
function editYaml(copy: RepoCopy, file: string, edit: (document: YAML.Document) => void): void {
  const document = YAML.parseDocument(copy.read(file));
  edit(document);
  writeFileSync(path.join(copy.dir, file), String(document));
}

/** Applies the edit to the copy and returns the changeset's file, relative to the copy. */
export function applyContributorEdit(copy: RepoCopy): string {
  editYaml(copy, SCHEMA_FILE, (tips) => {
    tips.setIn(["properties", NEW_FIELD], {
      type: "string",
      description: "What the tenant should do to renew the package, in words for a person.",
      example: NEW_FIELD_VALUE,
    });
  });

  writeFileSync(
    path.join(copy.dir, `spec/components/examples/${NEW_EXAMPLE}.yaml`),
    YAML.stringify({
      summary: "Paid CodeArts package in effect, with a renewal hint",
      description: "A paid package 32 days before its grace period, as a later API version may report it.",
      value: [
        {
          resource_id: "0b5e3d8a9f6c4a2e8d7f1c3b5a7e9d10",
          resource_name: "CodeArts Professional",
          service_type: "hws.service.type.devcloud",
          resource_type: "hws.resource.type.codearts.combo",
          resource_spec_code: "codearts.china.professional",
          tips: {
            next_action_url: "https://account.huaweicloud.com/usercenter/#/renewal",
            next_action: 0,
            next_action_remain_day: 32,
            status: 2,
            [NEW_FIELD]: NEW_FIELD_VALUE,
          },
        },
      ],
    }),
  );
  editYaml(copy, PATH_FILE, (pathItem) => {
    const examples = ["get", "responses", "200", "content", "application/json", "examples"];
    if (!pathItem.hasIn(examples)) throw new Error(`${PATH_FILE} has no examples under its 200 response any more: update this edit`);
    pathItem.setIn([...examples, NEW_EXAMPLE], { $ref: `../components/examples/${NEW_EXAMPLE}.yaml` });
  });

  const changeset = `.changeset/${randomBytes(6).toString("hex")}.md`;
  writeFileSync(
    path.join(copy.dir, changeset),
    `---\n"@codearts-package-status/openapi": minor\n---\n\nAdd \`tips.${NEW_FIELD}\` to the CodeArts Pipeline count-down, with an example.\n`,
  );
  return changeset;
}
