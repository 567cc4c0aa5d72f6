import { createSocket, Socket } from 'node:dgram';
import * as ipaddr from 'ipaddr.js';

export interface DnsRecords {
  A?: string[];
  AAAA?: string[];
}

/**
 * A real DNS server on loopback (UDP) answering A and AAAA queries from a table the test changes at will (TTL 0),
 * NXDOMAIN for unknown names. `silent: true` never answers (for resolution timeouts).
 */
export class TestDnsServer {
  readonly records = new Map<string, DnsRecords>();
  queries = 0;
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {}

  static async start(options: { silent?: boolean } = {}): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const server = new TestDnsServer(socket, socket.address().port);
    socket.on('message', (query, peer) => {
      server.queries++;
      if (options.silent) return;
      const answer = server.answer(query);
      if (answer) socket.send(answer, peer.port, peer.address);
    });
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  set(name: string, records: DnsRecords): void {
    this.records.set(name.toLowerCase(), records);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 17) return null;
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      const length = query[offset];
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
      if (offset >= query.length) return null;
    }
    const questionEnd = offset + 5;
    const type = query.readUInt16BE(offset + 1);
    const records = this.records.get(labels.join('.').toLowerCase());
    const values = !records ? [] : type === 1 ? (records.A ?? []) : type === 28 ? (records.AAAA ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0); // id
    header.writeUInt16BE(records ? 0x8180 : 0x8183, 2); // response, RD, RA; NXDOMAIN for unknown names
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(values.length, 6);
    const answers = values.map((value) => {
      const rdata = Buffer.from(ipaddr.parse(value).toByteArray());
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      rr.writeUInt16BE(type, 2);
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(0, 6); // TTL 0: every lookup asks again
      rr.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([rr, rdata]);
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}
