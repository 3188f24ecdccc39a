package io.egressgateway.domain.net;

import java.util.function.Function;

/**
 * The outcome of parsing user input: a value, or the text that was wrong and why. User input is
 * expected to be wrong sometimes, so this is a value, never an exception; callers that hold input
 * they already validated may use {@link #orElseThrow()}.
 *
 * @param <T> the parsed type
 */
public sealed interface Parsed<T> permits Parsed.Ok, Parsed.Failure {

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> error(String text, String why) {
        return new Failure<>(text, why);
    }

    boolean isOk();

    /** The value; throws {@link IllegalArgumentException} carrying {@link #message()} when this is a failure. */
    T orElseThrow();

    /** The value, or {@code fallback} when this is a failure. */
    T orElse(T fallback);

    /** "'text' why" for a failure, empty for a value: ready to put in an admission response. */
    String message();

    <R> Parsed<R> map(Function<? super T, ? extends R> f);

    <R> Parsed<R> flatMap(Function<? super T, Parsed<R>> f);

    /** A parsed value. */
    record Ok<T>(T value) implements Parsed<T> {
        @Override
        public boolean isOk() {
            return true;
        }

        @Override
        public T orElseThrow() {
            return value;
        }

        @Override
        public T orElse(T fallback) {
            return value;
        }

        @Override
        public String message() {
            return "";
        }

        @Override
        public <R> Parsed<R> map(Function<? super T, ? extends R> f) {
            return new Ok<>(f.apply(value));
        }

        @Override
        public <R> Parsed<R> flatMap(Function<? super T, Parsed<R>> f) {
            return f.apply(value);
        }
    }

    /** Text that did not parse, and why, in words a user can act on. */
    record Failure<T>(String text, String why) implements Parsed<T> {
        @Override
        public boolean isOk() {
            return false;
        }

        @Override
        public T orElseThrow() {
            throw new IllegalArgumentException(message());
        }

        @Override
        public T orElse(T fallback) {
            return fallback;
        }

        @Override
        public String message() {
            return "'" + text + "' " + why;
        }

        @Override
        public <R> Parsed<R> map(Function<? super T, ? extends R> f) {
            return new Failure<>(text, why);
        }

        @Override
        public <R> Parsed<R> flatMap(Function<? super T, Parsed<R>> f) {
            return new Failure<>(text, why);
        }
    }
}
