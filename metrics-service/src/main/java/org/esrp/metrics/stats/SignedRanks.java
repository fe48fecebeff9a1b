package org.esrp.metrics.stats;

/**
 * Paired differences as the Wilcoxon signed-rank test ranks them, kept as differences are added and taken away: the
 * sum of the positive differences' ranks (W+, ties at their average rank), the ties' correction and the moments of every
 * difference, so that the test costs O(1) however many differences there are. A change costs O(log d) for d distinct
 * absolute values: they are kept in a treap whose nodes also hold their subtree's counts, which tells how many
 * differences rank below a value and how many positive ones rank above it.
 *
 * <p>Why W+ follows a change exactly: with the distinct absolute values in order, a value held by t differences of which
 * p are positive, and B differences below it, its differences' average rank is B + (t + 1) / 2, so 2 W+ is the sum over
 * the values of p (2B + t + 1), an integer. A difference added at a value moves every value above it one rank up (2 W+
 * grows by twice the positive differences above) and its own value's term from p (2B + t + 1) to (p + s)(2B + t + 2),
 * s being 1 when the difference is positive; taking one away undoes exactly that.
 */
public final class SignedRanks {

    private final Moments moments = new Moments();
    private Node root;
    private int zeros;
    private long twiceWPlus;
    // sum of t^3 - t: exact in a long while no value is shared by 2 million differences (a responder's dialogues on one score)
    private long tieTerm;
    private int tiedValues;
    // the treap's priorities: fixed, so that the same changes build the same tree
    private long seed = 0x9E3779B97F4A7C15L;

    /** One distinct absolute value: its differences, its positive ones, and the same counts over its subtree. */
    private static final class Node {
        final Ratio magnitude;
        final long priority;
        int count;
        int positives;
        long subtreeCount;
        long subtreePositives;
        Node left;
        Node right;

        Node(Ratio magnitude, long priority) {
            this.magnitude = magnitude;
            this.priority = priority;
        }

        void sum() {
            subtreeCount = count + countOf(left) + countOf(right);
            subtreePositives = positives + positivesOf(left) + positivesOf(right);
        }
    }

    /** Where a value sits: how many non-zero differences are below it, how many positive ones above, and its node. */
    private record Place(long below, long positivesAbove, Node node) {
    }

    public void add(Ratio difference) {
        moments.add(difference);
        int sign = difference.signum();
        if (sign == 0) {
            zeros++;
            return;
        }
        Ratio magnitude = difference.abs();
        int positive = sign > 0 ? 1 : 0;
        Place place = place(magnitude);
        long t = place.node() == null ? 0 : place.node().count;
        long p = place.node() == null ? 0 : place.node().positives;
        twiceWPlus += 2 * place.positivesAbove() + p + positive * (2 * place.below() + t + 2);
        // (t + 1)^3 - (t + 1) - (t^3 - t)
        tieTerm += 3 * t * t + 3 * t;
        if (t == 1) {
            tiedValues++;
        }
        root = change(root, magnitude, 1, positive);
    }

    /** Takes away a difference added before. */
    public void remove(Ratio difference) {
        int sign = difference.signum();
        if (sign == 0) {
            if (zeros == 0) {
                throw new IllegalArgumentException("not among the differences: " + difference);
            }
            moments.remove(difference);
            zeros--;
            return;
        }
        Ratio magnitude = difference.abs();
        int positive = sign > 0 ? 1 : 0;
        Place place = place(magnitude);
        Node node = place.node();
        if (node == null || (positive == 1 ? node.positives : node.count - node.positives) == 0) {
            throw new IllegalArgumentException("not among the differences: " + difference);
        }
        moments.remove(difference);
        long t = place.node().count;
        long p = place.node().positives;
        twiceWPlus -= 2 * place.positivesAbove() + p - positive + positive * (2 * place.below() + t + 1);
        // t^3 - t - ((t - 1)^3 - (t - 1))
        tieTerm -= 3 * t * t - 3 * t;
        if (t == 2) {
            tiedValues--;
        }
        root = change(root, magnitude, -1, -positive);
    }

    /** The number of differences, zeros included. */
    public int n() {
        return moments.n();
    }

    Moments moments() {
        return moments;
    }

    int nonZero() {
        return moments.n() - zeros;
    }

    /** Twice W+, the sum of the positive differences' ranks among the non-zero ones (ties at their average rank). */
    long twiceWPlus() {
        return twiceWPlus;
    }

    /** The sum over tied values of t^3 - t, t being how many differences share the value. */
    long tieTerm() {
        return tieTerm;
    }

    /** Whether any two non-zero differences have the same absolute value. */
    boolean ties() {
        return tiedValues > 0;
    }

    private Place place(Ratio magnitude) {
        long below = 0;
        long positivesAbove = 0;
        Node node = root;
        while (node != null) {
            int order = magnitude.compareTo(node.magnitude);
            if (order < 0) {
                positivesAbove += node.positives + positivesOf(node.right);
                node = node.left;
            } else if (order > 0) {
                below += node.count + countOf(node.left);
                node = node.right;
            } else {
                return new Place(below + countOf(node.left), positivesAbove + positivesOf(node.right), node);
            }
        }
        return new Place(below, positivesAbove, null);
    }

    /** The subtree with {@code count} and {@code positives} added at the value; a value left with no difference goes. */
    private Node change(Node node, Ratio magnitude, int count, int positives) {
        if (node == null) {
            Node created = new Node(magnitude, nextPriority());
            created.count = count;
            created.positives = positives;
            created.sum();
            return created;
        }
        int order = magnitude.compareTo(node.magnitude);
        if (order < 0) {
            node.left = change(node.left, magnitude, count, positives);
            if (node.left != null && node.left.priority > node.priority) {
                node = rotateRight(node);
            }
        } else if (order > 0) {
            node.right = change(node.right, magnitude, count, positives);
            if (node.right != null && node.right.priority > node.priority) {
                node = rotateLeft(node);
            }
        } else {
            node.count += count;
            node.positives += positives;
            if (node.count == 0) {
                return merge(node.left, node.right);
            }
        }
        node.sum();
        return node;
    }

    private static Node rotateRight(Node node) {
        Node left = node.left;
        node.left = left.right;
        node.sum();
        left.right = node;
        left.sum();
        return left;
    }

    private static Node rotateLeft(Node node) {
        Node right = node.right;
        node.right = right.left;
        node.sum();
        right.left = node;
        right.sum();
        return right;
    }

    private static Node merge(Node left, Node right) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        if (left.priority > right.priority) {
            left.right = merge(left.right, right);
            left.sum();
            return left;
        }
        right.left = merge(left, right.left);
        right.sum();
        return right;
    }

    private long nextPriority() {
        // xorshift64
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        return seed;
    }

    private static long countOf(Node node) {
        return node == null ? 0 : node.subtreeCount;
    }

    private static long positivesOf(Node node) {
        return node == null ? 0 : node.subtreePositives;
    }
}
