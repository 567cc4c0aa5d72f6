import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of Postgres that can "restart the database": every connection is cut and new
 * ones are refused until it comes back, exactly what clients see when Postgres restarts.
 */
export class PgOutageProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.upstreamPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** Cuts every connection and refuses new ones. */
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    // Already down: `close` of a closed server would never call back.
    if (this.server) await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server = null;
  }

  async up(): Promise<void> {
    await this.start(this.port);
  }

  /** `url` rewritten to go through the proxy. */
  route(url: string): string {
    const u = new URL(url);
    u.port = String(this.port);
    return u.toString();
  }
}
