/** The drift summary reads the refresh steps of `pulumi preview --diff` (output of CLI v3.188.0, as captured). */
import { parseDrift } from "../../scripts/drift";

const output = `Previewing update (e2e):
~ pulumi:pulumi:Stack: (refresh)
    [urn=urn:pulumi:e2e::sspr::pulumi:pulumi:Stack::sspr-e2e]
        ~ pulumi-nodejs:dynamic/sspr:PasswordResetPolicy: (refresh)
            [id=7b05e103-ef35-4b93-9e46-79c655578d0e/Passwordresetpolicy]
            --outputs:--
          ~ notifyUsersOnReset              : true => false
          ~ reconfirmAfterDays              : 180 => 365
  pulumi:pulumi:Stack: (same)
        ~ pulumi-nodejs:dynamic/sspr:PasswordResetPolicy: (update)
            notifyAdminsOnAdminReset        : true
            notifyUsersOnReset              : true
Resources:
    ~ 1 to update
`;

test("names each drifted setting with the declared and the tenant's value", () => {
  expect(parseDrift(output)).toEqual([
    { resource: "sspr:PasswordResetPolicy", setting: "notifyUsersOnReset", declared: "true", tenant: "false" },
    { resource: "sspr:PasswordResetPolicy", setting: "reconfirmAfterDays", declared: "180", tenant: "365" },
  ]);
});

test("a program change (update without refresh differences) is not reported as drift", () => {
  expect(parseDrift(output.replace(/--outputs:--[\s\S]*?(?=  pulumi:pulumi:Stack: \(same\))/, ""))).toEqual([]);
});
