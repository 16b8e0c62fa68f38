package io.pretext.jobs.train.worker;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The all-reduce trainer's side channel: the first worker sends each round's figures (a few numbers, 40 bytes) to the
 * driver over TCP as the round ends, so progress lines and {@code metrics.jsonl} follow training live although the
 * barrier stage returns only when its last round is done. Nothing parameter-sized uses it. A connection must open
 * with the run's random token; what arrives is read as numbers only. Best effort: if a worker cannot connect, its
 * figures still reach the driver in the stage's result.
 */
final class RoundChannel implements AutoCloseable {
  /** One round's figures, as the first worker saw them after the round's all-reduce. */
  record Figures(long segment, int index, double loss, double fitMillis, long wallMillis, int iteration) implements Serializable {}

  private final ServerSocket server;
  private final long token = new SecureRandom().nextLong();
  private final BlockingQueue<Figures> queue = new LinkedBlockingQueue<>();
  private final String address;
  private volatile boolean closed;

  /** Listens on an ephemeral port of {@code host} (the driver's address as the executors know it). */
  RoundChannel(String host) {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the all-reduce trainer's report channel on " + host + ": " + e.getMessage(), e);
    }
    address = host + ":" + server.getLocalPort();
    Thread acceptor = new Thread(this::accept, "pretext-round-channel");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String address() {
    return address;
  }

  long token() {
    return token;
  }

  /** The next figures to arrive within {@code millis}, or null. */
  Figures poll(long millis) throws InterruptedException {
    return queue.poll(millis, TimeUnit.MILLISECONDS);
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = server.accept();
        Thread reader = new Thread(() -> read(s), "pretext-round-channel-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void read(Socket s) {
    try (s; DataInputStream in = new DataInputStream(s.getInputStream())) {
      s.setSoTimeout(0);
      if (in.readLong() != token) {
        return;
      }
      while (true) {
        queue.add(new Figures(in.readLong(), in.readInt(), in.readDouble(), in.readDouble(), in.readLong(), in.readInt()));
      }
    } catch (EOFException e) {
      // the worker finished
    } catch (IOException e) {
      // the worker died: its stage's result or the retry reports the rounds
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** The worker's end: sends figures to {@code address}; silent if the driver cannot be reached. */
  static final class Sender implements AutoCloseable {
    private Socket socket;
    private DataOutputStream out;

    Sender(String address, long token) {
      int colon = address.lastIndexOf(':');
      try {
        socket = new Socket();
        socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 10_000);
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        out.writeLong(token);
        out.flush();
      } catch (IOException | RuntimeException e) {
        close();
      }
    }

    void send(Figures f) {
      if (out == null) {
        return;
      }
      try {
        out.writeLong(f.segment());
        out.writeInt(f.index());
        out.writeDouble(f.loss());
        out.writeDouble(f.fitMillis());
        out.writeLong(f.wallMillis());
        out.writeInt(f.iteration());
        out.flush();
      } catch (IOException e) {
        close();
      }
    }

    @Override
    public void close() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException e) {
        // closing
      }
      out = null;
    }
  }
}
