package io.pretext.jobs.pretrain;

import io.pretext.jobs.run.RunException;
import io.pretext.jobs.run.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A resumed run must train the same thing on the same data, or it is a different run. The check compares the whole
 * configuration as run.json recorded it with the configuration given now, group by group, except the
 * {@value RunInfo#RUN_GROUP} group (where the job reads and writes, checkpoint cadence, monitors: they do not change
 * what is trained), and the dataset by its manifest's SHA-256 (so a dataset moved or re-prepared byte-identically is
 * the same dataset). Every difference is listed in one message.
 */
public final class ResumeCheck {
  private ResumeCheck() {}

  /**
   * @throws RunException listing every difference, if there is any
   */
  public static void verify(RunInfo checkpoint, PretrainConfig now, String manifestSha256) {
    if (checkpoint.options().containsKey(RunInfo.VERSION_1_GROUP)) {
      throw new RunException("cannot resume: the checkpoint was written by Pretext 0.1.0 (run.json format 1), whose settings"
          + " cannot be compared with this version's; start a new --run (evaluate and embed still read the checkpoint)");
    }
    List<String> differences = new ArrayList<>();
    if (!checkpoint.datasetManifestSha256().equals(manifestSha256)) {
      differences.add("the dataset: the checkpoint was trained on " + checkpoint.datasetUri() + " (manifest SHA-256 "
          + checkpoint.datasetManifestSha256() + "), --data " + now.run().data() + " has manifest " + manifestSha256);
    }
    TreeSet<String> groups = new TreeSet<>(checkpoint.options().keySet());
    groups.addAll(now.options().keySet());
    groups.remove(RunInfo.RUN_GROUP);
    for (String group : groups) {
      differences.addAll(diff(checkpoint.group(group), now.options().getOrDefault(group, new TreeMap<>())));
    }
    if (!differences.isEmpty()) {
      throw new RunException("cannot resume " + now.run().run() + ": the settings differ from the checkpoint's, which would change"
          + " what is trained:\n  " + String.join("\n  ", differences) + "\nresume with the checkpoint's settings (its run.json"
          + " lists them), or start a new --run");
    }
  }

  private static List<String> diff(SortedMap<String, String> before, SortedMap<String, String> after) {
    List<String> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      String was = before.get(name);
      String is = after.get(name);
      if (was == null || !was.equals(is)) {
        out.add(name + ": " + show(was) + " in the checkpoint, " + show(is) + " now");
      }
    }
    return out;
  }

  private static String show(String value) {
    return value == null ? "(not set)" : value.isEmpty() ? "(none)" : value;
  }
}
