/**
 * Adapters applied to every dynalite store this process opens from now on.
 * dynalite builds its store with `db.create`, looked up on its module at each
 * start, so wrapping that one function, once, reaches every store; each
 * adapter (the table-description cache, the synchronous reads) registers
 * here instead of wrapping it again.
 */

/** A store dynalite opened, as far as the hook knows it: adapters read their own parts of it. */
interface OpenedStore {
  lifecycleManager?: { getState(): string };
}

/** Adapts one store; `isOpen` turns false once dynalite closes it. */
export type DynaliteStoreAdapter<Store> = (store: Store, isOpen: () => boolean) => void;

const adapters = new Set<DynaliteStoreAdapter<never>>();
let wrapped = false;

/** Applies `adapter` to every store opened from now on. Registering the same adapter again changes nothing. */
export function adaptDynaliteStores<Store>(adapter: DynaliteStoreAdapter<Store>): void {
  adapters.add(adapter as DynaliteStoreAdapter<never>);
  if (wrapped) return;
  // dynalite ships no types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dbModule = require('dynalite/db') as { create(options: unknown): OpenedStore };
  const create = dbModule.create;
  dbModule.create = (options) => {
    const store = create(options);
    const isOpen = () => store.lifecycleManager?.getState() !== 'closed';
    for (const adapt of adapters) adapt(store as never, isOpen);
    return store;
  };
  wrapped = true;
}
