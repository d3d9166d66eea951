package dev.streamlearn.tools;

import dev.streamlearn.job.Topic;

/** Prints the default name of each of the job's topics, one per line, for the scripts that create or use them. */
public final class TopicNames {

    private TopicNames() {}

    /** With no argument, every topic; with option keys (topic.model-log ...), those in that order. */
    public static void main(String[] args) {
        if (args.length == 0) {
            for (Topic t : Topic.values()) {
                System.out.println(t.defaultName);
            }
            return;
        }
        for (String key : args) {
            Topic topic = null;
            for (Topic t : Topic.values()) {
                if (t.key.equals(key)) {
                    topic = t;
                }
            }
            if (topic == null) {
                System.err.println("topic-names: no topic option " + key);
                System.exit(2);
            }
            System.out.println(topic.defaultName);
        }
    }
}
