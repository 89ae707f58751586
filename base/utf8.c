#include "base/utf8.h"

uint32_t mdk_utf8_decode(const char *s, size_t n, size_t *w)
{
  const unsigned char *p = (const unsigned char *)s;
  uint32_t r;
  size_t need, i;

  if(p[0] < 0x80) {
    *w = 1;
    return p[0];
  }
  if(p[0] >= 0xC2 && p[0] <= 0xDF) {
    need = 2;
    r = p[0] & 0x1F;
  }
  else if(p[0] >= 0xE0 && p[0] <= 0xEF) {
    need = 3;
    r = p[0] & 0x0F;
  }
  else if(p[0] >= 0xF0 && p[0] <= 0xF4) {
    need = 4;
    r = p[0] & 0x07;
  }
  else {
    *w = 1;
    return MDK_RUNE_ERROR;
  }
  if(n < need) {
    *w = 1;
    return MDK_RUNE_ERROR;
  }
  for(i = 1; i < need; i++) {
    if((p[i] & 0xC0) != 0x80) {
      *w = 1;
      return MDK_RUNE_ERROR;
    }
    r = (r << 6) | (p[i] & 0x3F);
  }
  /* Overlong forms, surrogates and out-of-range values are invalid. */
  if((need == 3 && r < 0x800) || (need == 4 && r < 0x10000) ||
     (r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF) {
    *w = 1;
    return MDK_RUNE_ERROR;
  }
  *w = need;
  return r;
}

size_t mdk_utf8_encode(uint32_t r, char *out)
{
  unsigned char *o = (unsigned char *)out;
  if(r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
    r = MDK_RUNE_ERROR;
  if(r < 0x80) {
    o[0] = (unsigned char)r;
    return 1;
  }
  if(r < 0x800) {
    o[0] = (unsigned char)(0xC0 | (r >> 6));
    o[1] = (unsigned char)(0x80 | (r & 0x3F));
    return 2;
  }
  if(r < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (r >> 12));
    o[1] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (r & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (r >> 18));
  o[1] = (unsigned char)(0x80 | ((r >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (r & 0x3F));
  return 4;
}

bool mdk_rune_is_space(uint32_t r)
{
  if(r < 0x100)
    return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 ||
         r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

static bool in_table(uint32_t r, const struct mdk_rune_range *t, size_t n)
{
  size_t lo = 0, hi = n;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(r < t[mid].lo)
      hi = mid;
    else if(r > t[mid].hi)
      lo = mid + 1;
    else
      return true;
  }
  return false;
}

bool mdk_rune_is_letter(uint32_t r)
{
  if(r < 0x80)
    return (r | 0x20) >= 'a' && (r | 0x20) <= 'z';
  return in_table(r, mdk_unicode_letter, mdk_unicode_letter_len);
}

bool mdk_rune_is_digit(uint32_t r)
{
  if(r < 0x80)
    return r >= '0' && r <= '9';
  return in_table(r, mdk_unicode_digit, mdk_unicode_digit_len);
}
