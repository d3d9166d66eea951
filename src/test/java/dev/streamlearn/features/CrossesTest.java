package dev.streamlearn.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrossesTest {

    @Test
    void readsPairsTriplesAndAFieldWithEveryOther() {
        Crosses c = Crosses.TYPE.parse(" user*genre, a*b*c ,*item,");
        assertEquals("user*genre,a*b*c,item*", Crosses.TYPE.format(c));
        assertArrayEquals(new String[] {"a", "b", "c"}, c.list().get(1).fields);
        assertTrue(c.list().get(2).withEveryOther);
        assertTrue(Crosses.TYPE.parse("").isEmpty());
        assertTrue(Crosses.TYPE.parse("none").isEmpty());
        assertEquals("none", Crosses.TYPE.format(Crosses.NONE));
    }

    @Test
    void aFieldWithEveryOtherLeavesOutWhatOtherCrossesPairItWith() {
        Crosses c = Crosses.TYPE.parse("user*,genre*user,item*");
        assertArrayEquals(new String[] {"genre"}, c.list().get(0).except);
        assertArrayEquals(new String[] {"user"}, c.list().get(2).except);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "user|is not a list of crosses (user*genre,a*b*c,user*): 'user' is not two or three field names",
                "a*b*c*d|'a*b*c*d' is not two or three field names",
                "a*a|crosses a field with itself",
                "*|only a pair may leave one side empty",
                "a*b*|only a pair may leave one side empty",
                "a*b,b*a|a*b and b*a make the same features twice"
            })
    void refusesWhatIsNotACrossInOneLine(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Crosses.TYPE.parse(text));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void refusesMoreCrossesThanTheLimit() {
        String many = IntStream.rangeClosed(0, Crosses.MAX_CROSSES)
                .mapToObj(i -> "a*f" + i)
                .collect(Collectors.joining(","));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Crosses.TYPE.parse(many))
                .getMessage()
                .contains("at most " + Crosses.MAX_CROSSES));
    }
}
