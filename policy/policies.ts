/**
 * Every policy of the pack, in the order the README lists them. Tests import this module (never index.ts, which
 * starts the analyzer server); index.ts hands the list to the PolicyPack.
 *
 * Each policy is wrapped by rejectUnknownConfig: the CLI doesn't enforce the schemas' `additionalProperties: false`
 * (see StrictConfigSchema in common.ts), so the pack refuses config keys a policy doesn't take itself.
 */
import type { Policies } from "@pulumi/policy";
import { auditPolicies } from "./audit";
import { rejectUnknownConfig } from "./common";
import { conditionalAccessPolicies } from "./conditionalAccess";
import { configurationPolicies } from "./configuration";
import { licensingPolicies } from "./licensing";
import { methodPolicies } from "./methods";
import { migrationPolicies } from "./migration";
import { notificationPolicies } from "./notifications";
import { registrationPolicies } from "./registration";
import { rolePolicies } from "./roles";

export const allPolicies: Policies = [
  ...licensingPolicies,
  ...configurationPolicies,
  ...methodPolicies,
  ...registrationPolicies,
  ...notificationPolicies,
  ...rolePolicies,
  ...conditionalAccessPolicies,
  ...auditPolicies,
  ...migrationPolicies,
].map(rejectUnknownConfig);
