/**
 * Every Graph body the emulator serves validates against Microsoft's v1.0 schema: the test walks all GET
 * routes of all presets (entities reached through their collections), plus the bodies of PATCH 200 and
 * POST 201. The validator itself is checked on hand-made good and bad values first.
 */
import { PRESET_NAMES, RunningEmulator, startEmulator } from "../../emulator";
import { GRAPH_ENTITY_TYPES } from "../../emulator/graph";
import { graphSchema, validateGraphResponse } from "../../emulator/schema";
import { SKU } from "../../emulator/presets";
import { appToken, call, userToken, graphResource } from "./helpers";

describe("schema validator", () => {
  const sms = {
    "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
    id: "Sms",
    state: "enabled",
    excludeTargets: [{ id: "00000000-0000-0000-0000-000000000001", targetType: "group" }],
    includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false, isUsableForSignIn: true }],
  };

  test("accepts a valid derived entity through its abstract base, navigation properties included", () => {
    expect(graphSchema.validate("authenticationMethodConfiguration", sms)).toEqual([]);
  });

  test.each([
    ["unknown property", { ...sms, colour: "blue" }, "unknownProperty"],
    ["enum value", { ...sms, state: "on" }, "enum"],
    ["primitive type", { ...sms, excludeTargets: [{ id: 7, targetType: "group" }] }, "type"],
    ["null where not nullable", { ...sms, excludeTargets: [{ id: null, targetType: "group" }] }, "null"],
    ["@odata.type not derived from the declared type", { ...sms, "@odata.type": "#microsoft.graph.group" }, "type"],
    ["abstract type without @odata.type", { id: "Sms", state: "enabled" }, "abstract"],
    ["type unknown to the schema", { ...sms, "@odata.type": "#microsoft.graph.carrierPigeonConfiguration" }, "unknownType"],
  ])("refuses %s", (_what, value, kind) => {
    const issues = graphSchema.validate("authenticationMethodConfiguration", value);
    expect(issues.map((i) => i.kind)).toContain(kind);
  });

  test("checks Edm formats (Guid, DateTimeOffset, Int32) and annotations are skipped", () => {
    expect(graphSchema.validate("assignedPlan", { servicePlanId: "not-a-guid" })[0].kind).toBe("type");
    expect(graphSchema.validate("assignedPlan", { assignedDateTime: "yesterday" })[0].kind).toBe("type");
    expect(graphSchema.validate("companySubscription", { id: "x", totalLicenses: 2.5 })[0].kind).toBe("type");
    expect(graphSchema.validate("assignedPlan", { "x@odata.context": 1, assignedDateTime: "2024-01-01T00:00:00Z" })).toEqual([]);
  });

  test("write mode refuses navigation properties that are not writable", () => {
    const policy = { policyMigrationState: "preMigration", authenticationMethodConfigurations: [] };
    expect(graphSchema.validate("authenticationMethodsPolicy", policy, { writableNavigation: [] })[0].kind).toBe("navigationNotWritable");
    expect(graphSchema.validate("authenticationMethodsPolicy", policy)).toEqual([]);
  });

  test("a response needs @odata.context, and a collection only value and annotations", () => {
    expect(validateGraphResponse({ id: "x" }, { type: "subscribedSku" }).map((i) => i.message)).toContain("$: @odata.context is missing");
    expect(validateGraphResponse({ "@odata.context": "c", value: [], extra: 1 }, { type: "group", collection: true })).toHaveLength(1);
  });
});

describe("every Graph body served validates against graph-v1.0-schema.json", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu?.stop());

  const visited = new Set<string>();
  const failures: string[] = [];

  function validate(preset: string, method: string, template: string, path: string, body: unknown, override?: { type: string; collection: boolean }) {
    const expected = override ?? GRAPH_ENTITY_TYPES[template];
    const issues = validateGraphResponse(body, expected);
    for (const i of issues) failures.push(`${preset} ${method} ${path}: ${i.message}`);
    visited.add(template);
  }

  test.each(PRESET_NAMES)("%s: all GET routes", async (preset) => {
    const t = emu.tenants[preset];
    // Give PIM something to list: P2 licence (drift) and one eligibility request; plus one role assignment.
    await emu.control.drift(t.tenantId, {
      subscribedSkus: [
        ...(await emu.control.getState(t.tenantId)).subscribedSkus,
        { id: `${t.tenantId}_${SKU.entraIdP2.skuId}`, capabilityStatus: "Enabled", skuId: SKU.entraIdP2.skuId, skuPartNumber: "AAD_PREMIUM_P2",
          servicePlans: SKU.entraIdP2.plans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name, provisioningStatus: "Success", appliesTo: "User" })) },
      ],
    });
    const token = await appToken(emu, t);
    const users = (await call(emu, "GET", "/v1.0/users", { token })).body.value as { id: string }[];
    const groups = (await call(emu, "GET", "/v1.0/groups", { token })).body.value as { id: string; displayName: string }[];
    const helpdesk = groups.find((g) => g.displayName === "Helpdesk Operators")!;
    const created = await call(emu, "POST", "/v1.0/roleManagement/directory/roleAssignments", {
      token, json: { "@odata.type": "#microsoft.graph.unifiedRoleAssignment", roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", principalId: helpdesk.id, directoryScopeId: "/" },
    });
    expect(created.status).toBe(201);
    validate(preset, "POST", "/v1.0/roleManagement/directory/roleAssignments/{id}", "roleAssignments", created.body);
    const eligible = await call(emu, "POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", {
      token,
      json: { action: "adminAssign", justification: "on call", roleDefinitionId: "966707d0-3269-4727-9be2-8c3a10f19b9d", directoryScopeId: "/", principalId: users[1].id,
        scheduleInfo: { startDateTime: "2025-01-01T00:00:00Z", expiration: { type: "afterDateTime", endDateTime: "2026-01-01T00:00:00Z" } } },
    });
    expect(eligible.status).toBe(201);
    validate(preset, "POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests/{id}", "roleEligibilityScheduleRequests", eligible.body);

    for (const template of Object.keys(GRAPH_ENTITY_TYPES)) {
      if (template.includes("{id}") || template === "/v1.0/me") continue;
      const list = await call(emu, "GET", template, { token });
      expect(list.status).toBe(200);
      validate(preset, "GET", template, template, list.body);
      const itemTemplate = `${template}/{id}`;
      if (GRAPH_ENTITY_TYPES[itemTemplate]?.collection === false && Array.isArray(list.body.value)) {
        expect(list.body.value.length).toBeGreaterThan(0);
        for (const item of list.body.value as { id: string }[]) {
          const path = `${template}/${encodeURIComponent(item.id)}`;
          const one = await call(emu, "GET", path, { token });
          expect(one.status).toBe(200);
          validate(preset, "GET", itemTemplate, path, one.body);
        }
      }
    }
    // The ownership record (an open extension on the organization): created, listed and read back.
    const orgId = t.tenantId;
    const ext = await call(emu, "POST", `/v1.0/organization/${orgId}/extensions`, {
      token, json: { "@odata.type": "microsoft.graph.openTypeExtension", extensionName: "com.sspr-as-code.managedBy", PasswordResetPolicy: "proj/dev" },
    });
    expect(ext.status).toBe(201);
    validate(preset, "GET", "/v1.0/organization/{id}/extensions", `organization/${orgId}/extensions`, (await call(emu, "GET", `/v1.0/organization/${orgId}/extensions`, { token })).body);
    const one = await call(emu, "GET", `/v1.0/organization/${orgId}/extensions/com.sspr-as-code.managedBy`, { token });
    expect(one.body.PasswordResetPolicy).toBe("proj/dev");
    validate(preset, "GET", "/v1.0/organization/{id}/extensions/{name}", `organization/${orgId}/extensions/com.sspr-as-code.managedBy`, one.body);

    const me = await call(emu, "GET", "/v1.0/me", { token: await userToken(emu, t, graphResource(t)) });
    expect(me.status).toBe(200);
    validate(preset, "GET", "/v1.0/me", "/v1.0/me", me.body);

    const patched = await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", {
      token, json: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: "enabled", snoozeDurationInDays: 3 } } },
    });
    expect(patched.status).toBe(200);
    validate(preset, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", "PATCH authenticationMethodsPolicy", patched.body);
    // $select and paging bodies are Graph bodies too.
    const paged = await call(emu, "GET", "/v1.0/groups?$top=2&$select=id,displayName,securityEnabled", { token });
    validate(preset, "GET", "/v1.0/groups", "groups?$top=2&$select", paged.body);
    expect(paged.body["@odata.nextLink"]).toEqual(expect.stringContaining("$skiptoken="));

    expect(failures).toEqual([]);
  });

  test("the walk reached every GET route the emulator serves", () => {
    expect([...visited].sort()).toEqual(Object.keys(GRAPH_ENTITY_TYPES).sort());
  });
});
