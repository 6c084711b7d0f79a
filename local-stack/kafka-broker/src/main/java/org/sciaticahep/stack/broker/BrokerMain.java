package org.sciaticahep.stack.broker;

/**
 * Starts Kafka's own broker main, and stops it when the process that launched it is gone, so a killed test run
 * or launcher never leaves a broker holding its port.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        long parentPid = Long.getLong("stack.parent.pid", -1L);
        if (parentPid > 0) {
            Thread watch = new Thread(() -> watchParent(parentPid), "parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        kafka.Kafka.main(args);
    }

    private static void watchParent(long parentPid) {
        while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.exit(0);
    }
}
