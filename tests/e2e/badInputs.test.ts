/**
 * Bad input as a new admin writes it, in stack config of the example program, under the real engine: each one
 * fails `pulumi preview` with a message naming what was written (the `sspr:*` key, or the argument inside
 * it), the value and what is allowed, and the emulator's request log shows no write to any tenant.
 *
 * The README's table "Bad inputs tried" is this list, as run: `SSPR_BAD_INPUTS_TABLE=/tmp/table.md
 * node scripts/bootstrap.js jest tests/e2e/badInputs.test.ts` writes it in Markdown.
 */
import * as fs from "fs";
import * as path from "path";
import { PresetName, RunningEmulator, startEmulator } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { TestStack } from "../harness/engine";

const repoRoot = path.resolve(__dirname, "../..");
const PRESETS: PresetName[] = ["paid-cloud-only", "hybrid-no-p1", "hybrid-p1", "usgov"];
const UNKNOWN_GROUP = "7d1f2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c";
const USER = "3d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b";

interface Case {
  what: string;
  /** sspr:* keys as written in Pulumi.<stack>.yaml (values are YAML/JSON); `null` removes a base key. */
  config: Record<string, unknown>;
  message: RegExp;
  preset?: PresetName;
}

const q3 = ["First pet?", "First school?", "Birth city?"];
const CASES: Case[] = [
  // Typos in keys: never a default in their place.
  { what: "key typo", config: { "sspr:enablment": "none", "sspr:enablement": null }, message: /sspr:enablment is "none"; not a setting of this program \(did you mean sspr:enablement\?\)/ },
  { what: "key in the wrong case", config: { "sspr:helpDeskLink": "https://help.contoso.com" }, message: /sspr:helpDeskLink is .*did you mean sspr:helpdeskLink\?/ },
  { what: "singular for plural", config: { "sspr:method": { required: 2 } }, message: /sspr:method is .*did you mean sspr:methods\?/ },
  { what: "component argument name as a key", config: { "sspr:targetGroup": UNKNOWN_GROUP }, message: /sspr:targetGroup is .*not a setting of this program \(did you mean sspr:targetGroupId\?\)/ },
  { what: "unknown key", config: { "sspr:mfa": true }, message: /sspr:mfa is "true"; not a setting of this program; the keys are: sspr:cloud/ },
  { what: "required key missing: enablement", config: { "sspr:enablement": null }, message: /sspr:enablement is not set; it is required/ },
  { what: "required key missing: tenantId", config: { "sspr:tenantId": null }, message: /sspr:tenantId is not set; it is required/ },
  // Wrong shapes.
  { what: "number where an object goes", config: { "sspr:methods": "2" }, message: /sspr:methods is 2; use an object with required, email/ },
  { what: "list where an object goes", config: { "sspr:registration": [1, 2] }, message: /sspr:registration is \[1,2\]; use an object with requireOnSignIn/ },
  { what: "word where an object goes", config: { "sspr:notifications": "yes" }, message: /sspr:notifications is "yes"; use an object with notifyUsersOnReset/ },
  { what: "object where a list goes", config: { "sspr:roleAssignments": { role: "PasswordAdministrator", principalObjectId: USER } }, message: /sspr:roleAssignments is .*use a list of objects with role, principalObjectId/ },
  { what: "boolean where an object goes", config: { "sspr:onPremises": true }, message: /sspr:onPremises is true; use an object with passwordWriteback/ },
  { what: "nested key typo", config: { "sspr:methods": { requried: 2 } }, message: /sspr:methods.requried is 2; not a setting \(did you mean sspr:methods.required\?\)/ },
  { what: "nested unknown key", config: { "sspr:registration": { reconfirmDays: 90 } }, message: /sspr:registration.reconfirmDays is 90; .*allowed here: requireOnSignIn, reconfirmAfterDays/ },
  { what: "nested key typo (notifications)", config: { "sspr:notifications": { notifyUser: false } }, message: /sspr:notifications.notifyUser is false; .*did you mean sspr:notifications.notifyUsersOnReset\?|sspr:notifications.notifyUser is false; not a setting; allowed here: notifyUsersOnReset/ },
  { what: "deep key typo", config: { "sspr:methods": { securityQuestions: { toRegister: 3, toReset: 3, question: q3 } } }, message: /sspr:methods.securityQuestions.question is .*did you mean sspr:methods.securityQuestions.questions\?/ },
  { what: "key inside a method", config: { "sspr:authenticationMethods": { methods: { Sms: { enabled: false } } } }, message: /sspr:authenticationMethods.methods.Sms.enabled is false; .*allowed here: state, includeGroupIds, excludeGroupIds/ },
  { what: "key inside a role assignment", config: { "sspr:roleAssignments": [{ role: "PasswordAdministrator", principal: USER }] }, message: /sspr:roleAssignments\[0\].principal is .*did you mean sspr:roleAssignments\[0\].principalObjectId\?|sspr:roleAssignments\[0\].principal is .*not a setting; allowed here: role, principalObjectId/ },
  { what: "key typo in Conditional Access", config: { "sspr:protectRegistration": { excludeGroups: [UNKNOWN_GROUP] } }, message: /sspr:protectRegistration.excludeGroups is .*not a setting/ },
  { what: "key typo in tenant facts", config: { "sspr:tenantFacts": { trial: false } }, message: /sspr:tenantFacts.trial is false; .*allowed here: trialOnly/ },
  { what: "boolean key with a word", config: { "sspr:manageAzureAd": "no" }, message: /sspr:manageAzureAd is "no"; use true or false/ },
  { what: "boolean key with a number", config: { "sspr:retainOnDelete": "1" }, message: /sspr:retainOnDelete is "1"; use true or false/ },
  // Values.
  { what: "enablement not a choice", config: { "sspr:enablement": "everyone" }, message: /sspr:enablement is "everyone"; use one of "none", "selected", "all"/ },
  { what: "enablement in the portal's case", config: { "sspr:enablement": "All" }, message: /sspr:enablement is "All"; use one of "none", "selected", "all"/ },
  { what: "tenant id not a GUID or domain", config: { "sspr:tenantId": "contoso" }, message: /sspr:tenantId is "contoso"; use the tenant id \(GUID\) or a verified domain/ },
  { what: "unknown cloud", config: { "sspr:cloud": "mars" }, message: /sspr:cloud is "mars"; use one of "worldwide", "usgov", "usdod", "china"/ },
  { what: "retired cloud", config: { "sspr:cloud": "germany" }, message: /sspr:cloud is "germany"; Microsoft Cloud Deutschland was closed on 2021-10-29/ },
  { what: "emulator endpoint over http", config: { "sspr:endpoint": "http://127.0.0.1:44300" }, message: /sspr:endpoint is "http:\/\/127.0.0.1:44300"; use an https:\/\/ base URL/ },
  { what: "selected without a group", config: { "sspr:enablement": "selected" }, message: /sspr:targetGroupId is undefined; enablement "selected" needs a target group/ },
  { what: "group with enablement all", config: { "sspr:targetGroupId": UNKNOWN_GROUP }, message: /sspr:targetGroupId .*is only used when enablement is "selected"/ },
  { what: "group by name in the id key", config: { "sspr:enablement": "selected", "sspr:targetGroupId": "SSPR Users" }, message: /sspr:targetGroupId is "SSPR Users"; use the group's object id/ },
  { what: "both group keys", config: { "sspr:enablement": "selected", "sspr:targetGroupId": UNKNOWN_GROUP, "sspr:targetGroupName": "SSPR pilot" }, message: /sspr:targetGroupId and sspr:targetGroupName are both set; use one/ },
  { what: "three methods required", config: { "sspr:methods": { required: 3 } }, message: /sspr:methods.required is 3; use a whole number from 1 to 2/ },
  { what: "methods required as a word", config: { "sspr:methods": { required: "two" } }, message: /sspr:methods.required is "two"; use a whole number from 1 to 2/ },
  { what: "method flag as a word", config: { "sspr:methods": { email: "yes" } }, message: /sspr:methods.email is "yes"; use true or false/ },
  { what: "more methods required than enabled", config: { "sspr:methods": { required: 2, email: true, mobilePhone: false, authenticatorNotification: false, authenticatorCode: false } }, message: /sspr:methods.required is 2; only 1 method\(s\) are enabled/ },
  { what: "Authenticator as the only method, one required", config: { "sspr:methods": { required: 1, email: false, mobilePhone: false, authenticatorNotification: true, authenticatorCode: true } }, message: /sspr:methods.required is 1; Microsoft Authenticator cannot be the only method when one method is required/ },
  { what: "Authenticator and one other, two required", config: { "sspr:methods": { required: 2, email: true, mobilePhone: false, authenticatorNotification: true, authenticatorCode: true } }, message: /sspr:methods.required is 2; with two methods required, Microsoft Authenticator needs at least two other methods/ },
  { what: "fewer question texts than required", config: { "sspr:methods": { securityQuestions: { toRegister: 5, toReset: 3, questions: ["First pet?", "First school?"] } } }, message: /sspr:methods.securityQuestions.questions is .*give at least 5 question texts/ },
  { what: "security questions without texts", config: { "sspr:methods": { securityQuestions: { toRegister: 3, toReset: 3 } } }, message: /sspr:methods.securityQuestions.questions is undefined; list the question texts/ },
  { what: "six questions to register", config: { "sspr:methods": { securityQuestions: { toRegister: 6, toReset: 3, questions: q3 } } }, message: /sspr:methods.securityQuestions.toRegister is 6; use a whole number from 3 to 5/ },
  { what: "more to reset than to register", config: { "sspr:methods": { securityQuestions: { toRegister: 3, toReset: 5, questions: q3 } } }, message: /sspr:methods.securityQuestions.toReset is 5; must not exceed/ },
  { what: "question text too long", config: { "sspr:methods": { securityQuestions: { toRegister: 3, toReset: 3, questions: ["x".repeat(201), "a?", "b?"] } } }, message: /sspr:methods.securityQuestions.questions\[0\] is .*1 to 200 characters/ },
  { what: "reconfirm after 731 days", config: { "sspr:registration": { reconfirmAfterDays: 731 } }, message: /sspr:registration.reconfirmAfterDays is 731; use a whole number from 0 to 730/ },
  { what: "skip registration for 45 days", config: { "sspr:registration": { allowSkip: true, skipDays: 45 } }, message: /sspr:registration.skipDays is 45; use a whole number from 1 to 30/ },
  { what: "helpdesk link over http", config: { "sspr:helpdeskLink": "http://help.contoso.com" }, message: /sspr:helpdeskLink is "http:\/\/help.contoso.com"; use an https URL/ },
  { what: "helpdesk link not a link", config: { "sspr:helpdeskLink": "call Bob" }, message: /sspr:helpdeskLink is "call Bob"; use an https URL/ },
  { what: "unlock without writeback", config: { "sspr:onPremises": { passwordWriteback: false, unlockWithoutReset: true } }, message: /sspr:onPremises.unlockWithoutReset is true; unlocking on-premises accounts needs passwordWriteback: true/ },
  { what: "writeback as a word", config: { "sspr:onPremises": { passwordWriteback: "on" } }, message: /sspr:onPremises.passwordWriteback is "on"; use true or false/ },
  { what: "admin policy as a word", config: { "sspr:administratorsCanResetPassword": "maybe" }, message: /sspr:administratorsCanResetPassword is "maybe"; use true or false/ },
  { what: "method SSPR cannot use", config: { "sspr:authenticationMethods": { methods: { Fido2: { state: "enabled" } } } }, message: /sspr:authenticationMethods.methods.Fido2 is .*use one of the SSPR-usable methods/ },
  { what: "method state not a choice", config: { "sspr:authenticationMethods": { methods: { Sms: { state: "on" } } } }, message: /sspr:authenticationMethods.methods.Sms.state is "on"; use one of "enabled", "disabled"/ },
  { what: "migration state not a choice", config: { "sspr:authenticationMethods": { migrationState: "done" } }, message: /sspr:authenticationMethods.migrationState is "done"; use one of "preMigration"/ },
  { what: "campaign snooze 20 days", config: { "sspr:authenticationMethods": { registrationCampaign: { state: "enabled", snoozeDays: 20 } } }, message: /sspr:authenticationMethods.registrationCampaign.snoozeDays is 20; use a whole number from 0 to 14/ },
  { what: "role not a role", config: { "sspr:roleAssignments": [{ role: "PasswordWizard", principalObjectId: USER, assignment: "eligible", expiresOn: "2099-01-01T00:00:00Z" }] }, message: /sspr:roleAssignments\[0\].role is "PasswordWizard"; use a role name/ },
  { what: "principal by UPN", config: { "sspr:roleAssignments": [{ role: "PasswordAdministrator", principalObjectId: "alice@contoso.com", assignment: "eligible", expiresOn: "2099-01-01T00:00:00Z" }] }, message: /sspr:roleAssignments\[0\].principalObjectId is "alice@contoso.com"; use the object id/ },
  { what: "eligibility ending in the past", config: { "sspr:roleAssignments": [{ role: "PasswordAdministrator", principalObjectId: USER, assignment: "eligible", expiresOn: "2001-01-01" }] }, message: /sspr:roleAssignments\[0\].expiresOn is "2001-01-01"; use a future date-time/ },
  { what: "Conditional Access state not a choice", config: { "sspr:protectRegistration": { state: "on" } }, message: /sspr:protectRegistration.state is "on"; use one of "enabled", "disabled", "enabledForReportingButNotEnforced"/ },
  { what: "tenant facts half declared", config: { "sspr:tenantFacts": { trialOnly: false } }, message: /sspr:tenantFacts.directorySync is undefined; use true or false \(all five facts are needed when declared\)/ },
  { what: "take over from something not a stack", config: { "sspr:takeOverFrom": "bob" }, message: /sspr:takeOverFrom is "bob"; use the stack that manages the tenant objects now, as "<project>\/<stack>"/ },
  // Sign-in: the tenant id or the cloud does not match a tenant the identity platform knows.
  { what: "tenant id no tenant has", config: { "sspr:tenantId": "0a1b2c3d-0000-4000-8000-000000000001" }, message: /does not know tenant "0a1b2c3d-0000-4000-8000-000000000001" \(AADSTS90002\)[^\n]*sspr:tenantId/ },
  { what: "US Government tenant with the default cloud", preset: "usgov", config: {}, message: /not found in the worldwide cloud[^\n]*AADSTS500011[^\n]*sspr:cloud/ },
  // What the tenant refuses: found by reading it, before anything is written.
  { what: "target group that does not exist", config: { "sspr:enablement": "selected", "sspr:targetGroupId": UNKNOWN_GROUP }, message: /targetGroup.existingGroupId is "7d1f2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c"; no group with this object id exists in tenant/ },
  { what: "writeback without Entra ID P1", preset: "hybrid-no-p1", config: { "sspr:onPremises": { passwordWriteback: true } }, message: /onPremises.passwordWriteback is true; password writeback needs a Microsoft Entra ID P1 or P2/ },
  { what: "writeback without directory sync", preset: "usgov", config: { "sspr:cloud": "usgov", "sspr:onPremises": { passwordWriteback: true } }, message: /onPremises.passwordWriteback is true; the tenant has no directory synchronization/ },
  { what: "migration moving backwards", preset: "hybrid-p1", config: { "sspr:authenticationMethods": { migrationState: "preMigration" } }, message: /authenticationMethods.migrationState is "preMigration", but the tenant is already at "migrationInProgress"/ },
  { what: "PIM eligibility without Entra ID P2", config: { "sspr:roleAssignments": [{ role: "PasswordAdministrator", principalObjectId: USER, assignment: "eligible", expiresOn: "2099-01-01T00:00:00Z" }] }, message: /roleAssignments\[0\].assignment is "eligible"; PIM-eligible assignments need Microsoft Entra ID P2/ },
];

let emu: RunningEmulator;
/** One stack per preset and lane (two lanes: two previews at a time, one per core). */
const stacks = new Map<string, TestStack>();
const results: { c: Case; code: number; line: string; writes: string[] }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, presets: PRESETS });
}, 120_000);

async function stackFor(preset: PresetName, lane: number): Promise<TestStack> {
  const key = `${preset}-${lane}`;
  if (!stacks.has(key)) {
    stacks.set(key, await TestStack.create(repoRoot, { stackName: `bad-${preset.replace(/[^a-z0-9]/g, "")}-${lane}`, env: credentialEnv(emu.tenants[preset]) }));
  }
  return stacks.get(key)!;
}
afterAll(async () => {
  const table = process.env.SSPR_BAD_INPUTS_TABLE;
  if (table) {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
    const rows = results.map((r, n) => `| ${n + 1} | ${cell(r.c.what)} | \`${cell(Object.entries(r.c.config).filter(([, v]) => v !== null)
      .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
      .concat(Object.entries(r.c.config).filter(([, v]) => v === null).map(([k]) => `(no ${k})`)).join("; ") || "(the base config only)")}\` | ${r.code !== 0 ? "preview" : "NOT refused"} | ${cell(r.line)} | ${r.writes.length} |`);
    fs.writeFileSync(table, ["| # | Bad input | Stack config | Refused at | Message | Writes |", "|---|---|---|---|---|---|", ...rows].join("\n") + "\n");
  }
  for (const s of stacks.values()) await s.cleanup();
  await emu?.stop();
});

/** The stack config file: the base keys of a stack on the emulator, with the case's keys over them. */
function writeConfig(stack: TestStack, preset: PresetName, c: Case): void {
  const t = emu.tenants[preset];
  const keys: Record<string, unknown> = {
    "sspr:tenantId": t.tenantId, "sspr:endpoint": emu.url, "sspr:manageAzureAd": "false", "sspr:enablement": "all", ...c.config,
  };
  const salt = fs.readFileSync(stack.configFile, "utf8").split("\n").filter((l) => l.startsWith("encryptionsalt:"));
  // JSON is YAML: each value is written as the JSON of what the admin meant (a string stays a string).
  const lines = Object.entries(keys).filter(([, v]) => v !== null).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  fs.writeFileSync(stack.configFile, [...salt, "config:", ...lines, ""].join("\n"));
}

describe("bad input in stack config: refused at preview, named, nothing written (real engine)", () => {
  test(`${CASES.length} cases (at least 50)`, () => expect(CASES.length).toBeGreaterThanOrEqual(50));

  // Two previews at a time (one per core): the paid tenant's cases alternate between the lanes, the other
  // presets' few go to the second lane.
  test("every case is refused at preview with its message, and no tenant sees a write", async () => {
    await emu.control.clearRequests();
    const lanes: Case[][] = [[], []];
    CASES.forEach((c, i) => lanes[c.preset && c.preset !== "paid-cloud-only" ? 1 : i % 2].push(c));
    const failures: string[] = [];
    await Promise.all(lanes.map(async (cases, lane) => {
      for (const c of cases) {
        const preset = c.preset ?? "paid-cloud-only";
        const stack = await stackFor(preset, lane);
        writeConfig(stack, preset, c);
        const r = await stack.pulumi(["preview"]);
        const out = `${r.stdout}\n${r.stderr}`;
        const line = out.split("\n").find((l) => c.message.test(l)) ?? out.split("\n").find((l) => /error|is not set|is not a setting/.test(l)) ?? "";
        results.push({ c, code: r.code, line: line.trim().replace(/^-\s*/, "").replace(/^\+?\s*pulumi:pulumi:Stack \S+ create error: /, ""), writes: [] });
        if (r.code === 0) failures.push(`${c.what}: preview passed`);
        else if (!c.message.test(out)) failures.push(`${c.what}: message not found in:\n${out.slice(-1500)}`);
        if (/unhandled exception|RangeError/.test(out)) failures.push(`${c.what}: stack trace or crash in the output`);
      }
    }));
    results.sort((a, b) => CASES.indexOf(a.c) - CASES.indexOf(b.c));
    const writes = (await emu.control.requests({})).filter((r) => r.method !== "GET" && !r.route.includes("/oauth2/"));
    for (const r of results) r.writes = writes.map((w) => w.route);
    expect(failures).toEqual([]);
    expect(writes).toEqual([]);
  }, 30 * 60_000);
});
