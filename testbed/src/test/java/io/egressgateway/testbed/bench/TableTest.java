package io.egressgateway.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void rendersMarkdownWithNotes() {
        Table t = new Table.Builder("Title", "a", "b").row("x", 1.2345).row("y", 1234.4).note("a note").build();
        assertThat(t.markdown()).isEqualTo("""
                ### Title

                | a | b |
                |---|---|
                | x | 1.23 |
                | y | 1234 |

                - a note
                """);
    }

    @Test
    void aRowOfTheWrongWidthNamesTheTable() {
        assertThatThrownBy(() -> new Table("T", List.of("a", "b"), List.of(List.of("only one")), List.of()))
                .hasMessageContaining("table \"T\"").hasMessageContaining("1 cells");
    }
}
