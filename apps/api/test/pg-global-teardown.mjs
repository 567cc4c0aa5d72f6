export default async function teardown() {
  await globalThis.__SEQPULSE_PG__?.stop();
}
