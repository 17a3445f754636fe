package dev.roster.bench;

/** Roster answered something a benchmark step did not expect: the figures of that step would be meaningless. */
final class BenchFailure extends RuntimeException {

    BenchFailure(String message) {
        super(message);
    }

    BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
