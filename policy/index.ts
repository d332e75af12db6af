/**
 * The SSPR guard rails pack: `pulumi preview --policy-pack policy`. Policies not marked mandatory are advisory;
 * raise, lower or disable any of them, or set their config, with `--policy-pack-config <file.json>`
 * (see docs/policy-pack.md). Only this file constructs the pack: it starts the analyzer server.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("sspr-guardrails", {
  enforcementLevel: "advisory",
  policies: allPolicies,
});
