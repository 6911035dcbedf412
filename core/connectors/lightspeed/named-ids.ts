/**
 * Ids of records Ferry lets a flow name instead of giving their id (product categories, variant attributes) for
 * one run: all read once, a missing one created once — concurrent records asking for the same new name share the
 * request, so a page of products does not create a category twice. Names compare without regard to case.
 */
export abstract class NamedIds {
  private loaded: Promise<Map<string, string>> | undefined;
  private readonly creating = new Map<string, Promise<string>>();

  /** The id of `name`; in a dry run a missing one stays undefined (nothing is created). */
  async id(name: string, signal: AbortSignal, dryRun: boolean): Promise<string | undefined> {
    const known = await (this.loaded ??= this.load(signal));
    const key = name.toLowerCase();
    const found = known.get(key);
    if (found || dryRun) return found;
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.create(name, signal).then((id) => (known.set(key, id), id));
      this.creating.set(key, pending);
      pending.catch(() => this.creating.delete(key));
    }
    return pending;
  }

  /** Every record's id by its name in lower case. */
  protected abstract load(signal: AbortSignal): Promise<Map<string, string>>;
  protected abstract create(name: string, signal: AbortSignal): Promise<string>;
}
