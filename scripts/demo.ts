/**
 * `npm run demo`: the main job on a laptop with no tenant. Starts the offline tenant emulator (persisted
 * state), runs `pulumi up` on the dev stack, prints the tenant's resulting SSPR settings in the admin
 * center's terms, and stops the emulator. A second run shows no changes.
 */
import * as path from "path";
import { runPulumi } from "./pulumiCli";
import { DEV_PRESET, withDevStack } from "./devStack";

const ENABLEMENT = ["None", "Selected", "All"];
const yesNo = (b: unknown) => (b ? "Yes" : "No");

/** The Password reset blade, as an administrator reads it. */
export function describePasswordResetPolicy(p: Record<string, unknown>): string {
  const methods = [
    ["Email", p.emailOptionEnabled], ["Mobile phone", p.mobilePhoneOptionEnabled], ["Office phone", p.officePhoneOptionEnabled],
    ["Mobile app notification", p.mobileAppNotificationEnabled], ["Mobile app code", p.mobileAppCodeEnabled], ["Security questions", p.securityQuestionsOptionEnabled],
  ].filter(([, on]) => on).map(([name]) => name);
  return [
    "Password reset > Properties",
    `  Self service password reset enabled: ${ENABLEMENT[p.enablementType as number] ?? p.enablementType}` +
      (p.enablementType === 1 ? ` (group ${(p.passwordResetEnabledGroupIds as string[]).join(", ")})` : ""),
    "Password reset > Authentication methods",
    `  Number of methods required to reset: ${p.numberOfAuthenticationMethodsRequired}`,
    `  Methods available to users: ${methods.join(", ") || "(none)"}`,
    "Password reset > Registration",
    `  Require users to register when signing in: ${yesNo(p.registrationRequiredOnSignIn)}`,
    `  Number of days before users are asked to re-confirm their authentication information: ${p.registrationReconfirmIntevalInDays}`,
    "Password reset > Notifications",
    `  Notify users on password resets: ${yesNo(p.notifyUsersOnPasswordReset)}`,
    `  Notify all admins when other admins reset their password: ${yesNo(p.notifyOnAdminPasswordReset)}`,
    "Password reset > Customization",
    `  Customize helpdesk link: ${yesNo(p.customizeHelpdeskLink)}${p.customizeHelpdeskLink ? ` (${p.customHelpdeskEmailOrUrl})` : ""}`,
  ].join("\n");
}

async function main(): Promise<number> {
  const programDir = path.resolve(__dirname, "..");
  const started = Date.now();
  return withDevStack(programDir, async (env, emulator) => {
    process.stdout.write(`Tenant emulator at ${emulator.url} (preset ${DEV_PRESET}); running pulumi up on the dev stack...\n\n`);
    const up = await runPulumi(["up", "--yes", "--stack", "dev"], { cwd: programDir, env, echo: true });
    if (up.code !== 0) return up.code;
    const state = await emulator.control.getState(emulator.tenants[DEV_PRESET].tenantId) as { passwordResetPolicy: Record<string, unknown> };
    process.stdout.write(`\nThe tenant now has:\n${describePasswordResetPolicy(state.passwordResetPolicy)}\n`);
    process.stdout.write(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Run it again: no changes. Change something by hand with the emulator, then \`npm run drift -- --stack dev\`.\n`);
    return 0;
  });
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(2); });
}
