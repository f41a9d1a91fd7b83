/*
 * helper_format_parse.c - one conversion of a bpf_bprintf format, parsed by Linux's rules (see
 * helper_format.c): flags "0+- ", a width, then the conversion and its extensions. Both passes use
 * it: pass 1 to validate and stage, pass 2 to print what pass 1 accepted.
 */
#include "helpers/helper_format.h"

#include <string.h>

/* Parses the conversion whose '%' is at fmt[i] (not "%%"). 0 or -HELPER_EINVAL. The format is
 * NUL-terminated, and every look-ahead stops at a character that cannot be the NUL. */
int helper_fmt_parse(const char *fmt, size_t i, fmt_spec *s)
{
    memset(s, 0, sizeof *s);
    s->width = -1;
    for (i++;; i++) {
        if (fmt[i] == '-')
            s->flags |= FMT_LEFT;
        else if (fmt[i] == '0')
            s->flags |= FMT_ZERO;
        else if (fmt[i] == '+')
            s->flags |= FMT_PLUS;
        else if (fmt[i] == ' ')
            s->flags |= FMT_SPACE;
        else
            break;
    }
    if (fmt[i] >= '1' && fmt[i] <= '9') {
        long width = 0;
        for (; fmt[i] >= '0' && fmt[i] <= '9'; i++)
            width = width >= FMT_WIDTH_MAX ? FMT_WIDTH_MAX : width * 10 + (fmt[i] - '0');
        s->width = width > FMT_WIDTH_MAX ? FMT_WIDTH_MAX : (int)width;
    }
    char c = fmt[i];
    if (c == 'p') {
        char c1 = fmt[i + 1];
        s->pointer = true;
        s->p_next = i + 1;
        if (fmt_ends_word((unsigned char)c1)) {
            s->kind = FMT_PTR;
            s->next = i + 1;
            return 0;
        }
        if ((c1 == 'k' || c1 == 'u') && fmt[i + 2] == 's') {
            s->kind = FMT_PRE_STR;
            s->conv = c1;
            i += 2;
            goto string_end;
        }
        if (c1 == 'K' || c1 == 'x' || c1 == 's' || c1 == 'S' || c1 == 'B') {
            s->kind = c1 == 'B' ? FMT_PRE_SYM : FMT_PTR;
            s->conv = c1;
            s->next = i + 2;
            return 0;
        }
        if ((c1 != 'i' && c1 != 'I') || (fmt[i + 2] != '4' && fmt[i + 2] != '6'))
            return -HELPER_EINVAL;
        s->kind = FMT_PRE_IP;
        s->conv = c1;
        s->size = fmt[i + 2] == '4' ? 4 : 6;
        s->next = i + 3;
        return 0;
    }
    if (c == 's') {
        s->kind = FMT_STR;
string_end:
        if (!fmt_ends_word((unsigned char)fmt[i + 1]))
            return -HELPER_EINVAL;
        s->next = i + 1;
        return 0;
    }
    if (c == 'c') {
        s->kind = FMT_CHAR;
        s->next = i + 1;
        return 0;
    }
    s->kind = FMT_INT;
    s->size = 4;
    if (fmt[i] == 'l') {
        s->size = 8;
        i++;
    }
    if (fmt[i] == 'l')
        i++;
    c = fmt[i];
    if (c != 'i' && c != 'd' && c != 'u' && c != 'x' && c != 'X')
        return -HELPER_EINVAL;
    s->conv = c;
    s->next = i + 1;
    return 0;
}
