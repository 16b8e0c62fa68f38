package io.pretext.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * An HDFS mini cluster (NameNode and one DataNode, {@code hadoop-client-minicluster} 3.3.4, the client version of
 * Spark 3.5.9) inside this test JVM, on 127.0.0.1 only: the NameNode RPC port is picked free, every other endpoint
 * binds to an ephemeral loopback port. It goes away with {@link #close} or with the JVM.
 */
final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;
  private final Configuration conf;

  private MiniHdfs(MiniDFSCluster cluster, Configuration conf) {
    this.cluster = cluster;
    this.conf = conf;
  }

  static MiniHdfs start(Path baseDir) {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toAbsolutePath().toString());
    String any = ClusterEnv.LOOPBACK + ":0";
    conf.set("dfs.namenode.http-address", any);
    conf.set("dfs.namenode.https-address", any);
    conf.set("dfs.namenode.secondary.http-address", any);
    conf.set("dfs.namenode.backup.address", any);
    conf.set("dfs.namenode.backup.http-address", any);
    conf.set("dfs.datanode.address", any);
    conf.set("dfs.datanode.http.address", any);
    conf.set("dfs.datanode.ipc.address", any);
    conf.set("dfs.namenode.rpc-bind-host", ClusterEnv.LOOPBACK);
    conf.set("dfs.namenode.servicerpc-bind-host", ClusterEnv.LOOPBACK);
    conf.set("hadoop.security.authentication", "simple");
    conf.setBoolean("dfs.permissions.enabled", false);
    conf.setInt("dfs.replication", 1);
    // Small files close at once: without these a client's close() waits 400 ms and more for the DataNode's block
    // report (330 corpus files took 76 s to write).
    conf.setInt("dfs.namenode.file.close.num-committed-allowed", 1);
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    try {
      MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).nameNodePort(ClusterEnv.freePort()).numDataNodes(1)
          .checkDataNodeAddrConfig(true).format(true).build();
      cluster.waitActive();
      return new MiniHdfs(cluster, cluster.getConfiguration(0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the HDFS mini cluster", e);
    }
  }

  /** {@code hdfs://127.0.0.1:PORT}. */
  String uri() {
    return "hdfs://" + ClusterEnv.LOOPBACK + ":" + cluster.getNameNodePort();
  }

  FileSystem fs() {
    try {
      return FileSystem.get(java.net.URI.create(uri()), conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
