/* utf8.h - UTF-8 decoding with Go's semantics (an invalid byte decodes to
 * U+FFFD with width 1) and the three Unicode predicates BuildKit's lexers use. */
#ifndef MDK_UTF8_H
#define MDK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MDK_RUNE_ERROR 0xFFFD

struct mdk_rune_range {
  uint32_t lo, hi;
};

/* Decodes one rune from p[0..n) (n > 0); stores its width in *w. */
uint32_t mdk_utf8_decode(const char *p, size_t n, size_t *w);
/* Writes the UTF-8 encoding of r (U+FFFD for invalid runes) to out[4];
 * returns its length. */
size_t mdk_utf8_encode(uint32_t r, char *out);
/* Go unicode.IsSpace. */
bool mdk_rune_is_space(uint32_t r);
/* The same for a byte below 0x80 (space, \t \n \v \f \r), inline for the
 * loops that scan runs of plain ASCII. */
static inline bool mdk_ascii_is_space(unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}
/* [0-9A-Za-z] */
static inline bool mdk_ascii_is_alnum(unsigned char c)
{
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
/* Go unicode.IsLetter / unicode.IsDigit. */
bool mdk_rune_is_letter(uint32_t r);
bool mdk_rune_is_digit(uint32_t r);

extern const struct mdk_rune_range mdk_unicode_letter[];
extern const size_t mdk_unicode_letter_len;
extern const struct mdk_rune_range mdk_unicode_digit[];
extern const size_t mdk_unicode_digit_len;

#endif
