/** Lets pending promise chains (HttpClient → firstValueFrom → component) run. */
export async function flushMicrotasks(): Promise<void> {
  await new Promise((r) => setTimeout(r));
}
