/**
 * Pulumi mocks that record every resource registered, for component unit tests:
 *
 *   const mocks = recordingMocks();                 // before importing the component (Pulumi's testing guide)
 *   const c = await mocks.declare((opts) => new MyComponent("name", args, opts));
 *   mocks.ofType("azuread:index/group:Group");      // what the mock engine saw, inputs resolved
 *
 * declare() passes the component a transformation, which Pulumi runs in the constructor of the component and
 * of every resource under it, so it knows each resource declared; it then waits for all their URNs, which
 * resolve only after the mock engine has registered them. No timers: done is done however loaded the machine.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  /** Inputs as the engine receives them (plain values once outputs resolve). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputs: any;
}

export interface RecordingMocks {
  /** Every resource the mock engine has registered, in order; clear with `registered.length = 0`. */
  readonly registered: Registered[];
  ofType(type: string): Registered[];
  /**
   * Calls `make` with resource options to pass to the component, then resolves once every resource under it
   * (the component, its children, theirs) has been registered.
   */
  declare<R extends pulumi.Resource>(make: (opts: pulumi.ComponentResourceOptions) => R): Promise<R>;
}

/** The output's value, or its error: a registration that fails (e.g. refused before any write) rejects instead of hanging. */
export const promiseOf = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();

/**
 * Installs the mocks (project "sspr", stack "unit", not a preview). A resource's state is its inputs, plus what
 * `state` adds for it (outputs a provider would compute); its id is "<name>-id".
 */
export function recordingMocks(state: (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> = () => ({})): RecordingMocks {
  const registered: Registered[] = [];
  void pulumi.runtime.setMocks({
    newResource(args) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, ...state(args) } };
    },
    call: (args) => args.inputs,
  }, "sspr", "unit", false);

  return {
    registered,
    ofType: (type) => registered.filter((r) => r.type === type),
    async declare(make) {
      const declared: pulumi.Resource[] = [];
      const record: pulumi.ResourceTransformation = ({ resource }) => { declared.push(resource); return undefined; };
      const root = make({ transformations: [record] });
      // A failed output of the component (e.g. its pre-write checks refused) makes children wait forever for
      // their dependency: surface that error instead of hanging.
      const failed = new Promise<never>((_, reject) => {
        for (const v of Object.values(root)) if (pulumi.Output.isInstance(v)) promiseOf(v as pulumi.Output<unknown>).catch(reject);
      });
      const registeredAll = (async () => {
        // Until no more show up: a resource may declare others once an output of its own resolves.
        for (let seen = 0; seen < declared.length;) {
          const batch = declared.slice(seen);
          seen = declared.length;
          await Promise.all(batch.map((r) => promiseOf(r.urn)));
        }
      })();
      await Promise.race([registeredAll, failed]);
      return root;
    },
  };
}
