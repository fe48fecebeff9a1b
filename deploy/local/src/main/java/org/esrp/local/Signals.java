package org.esrp.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SIGSTOP and SIGCONT: a process that stalls (a paused VM, a GC storm, a frozen disk) without dying. */
public final class Signals {

    private Signals() {
    }

    public static void pause(List<Long> pids) throws IOException, InterruptedException {
        signal("-STOP", pids);
    }

    public static void resume(List<Long> pids) throws IOException, InterruptedException {
        signal("-CONT", pids);
    }

    public static void resume(long pid) throws IOException, InterruptedException {
        resume(List.of(pid));
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
