import { connect, createServer, type Socket } from 'node:net';

/** A TCP relay to a local server, standing for the network between masque and it. */
export interface TcpRelay {
  port: number;
  /** Stops passing anything on while every connection stays open: a server or network gone silent. */
  freeze(): void;
  /** Turns new connections away while the open ones go on. */
  refuse(): void;
  close(): void;
}

/** A relay to `127.0.0.1:port` on a free port of its own. */
export async function relayTo(port: number): Promise<TcpRelay> {
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.push(client, upstream);
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze: () => {
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    refuse: () => server.close(),
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
