import { ssprMethodsMigrationComplete } from "../../policy/migration";
import { methodsPolicy, methodsPolicyArgs as args } from "./fixtures";
import { assertHasViolation, assertNoViolations } from "./util";

describe("sspr-methods-migration-complete", () => {
  const policy = ssprMethodsMigrationComplete;

  it("is advisory, without a remediation (finishing the migration is the admin's call)", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.remediateResource).toBeUndefined();
  });

  it("accepts migrationComplete, and an unmanaged state", async () => {
    await assertNoViolations(policy, args(methodsPolicy()));
    await assertNoViolations(policy, args(methodsPolicy({ migrationState: undefined })));
  });

  it.each(["preMigration", "migrationInProgress"] as const)("warns on %s", async (migrationState) => {
    await assertHasViolation(policy, args(methodsPolicy({ migrationState })), {
      message: [`migrationState is "${migrationState}"`, "set migrationState to \"migrationComplete\"", "MS.AAD.3.4v1", "concept-authentication-methods-manage"],
    });
  });
});
