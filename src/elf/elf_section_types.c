/*
 * elf_section_types.c - program type from a section name (the table is elf_sections.def), and the
 * names of program types, attach types and CO-RE relocation kinds for messages and tools.
 */
#include "elf/elf_int.h"

#include "abi/abi_prog.h"

#include <string.h>

enum { MATCH_EXACT, MATCH_PREFIX };

typedef struct section_rule {
    const char *name;
    uint8_t match;
    uint32_t prog_type;
    uint32_t attach_type;
} section_rule;

static const section_rule rules[] = {
#define ELF_SECTION(NAME, MATCH, PROG, ATTACH) {NAME, MATCH_##MATCH, ELF_PROG_##PROG, ELF_ATTACH_##ATTACH},
#include "elf/elf_sections.def"
#undef ELF_SECTION
};

bool elf_section_prog_type(const char *section, uint32_t *type, uint32_t *attach_type, const char **target)
{
    *type = ELF_PROG_UNSPEC;
    *attach_type = ELF_ATTACH_NONE;
    if (target)
        *target = "";
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        size_t len = strlen(rules[i].name);
        if (strncmp(section, rules[i].name, len) != 0)
            continue;
        char next = section[len];
        if (rules[i].match == MATCH_EXACT && next != '\0' && next != '/')
            continue;
        *type = rules[i].prog_type;
        *attach_type = rules[i].attach_type;
        if (target && next == '/')
            *target = section + len + 1;
        return true;
    }
    return false;
}

const char *elf_prog_type_name(uint32_t type)
{
    return abi_prog_type_name(type);
}

const char *elf_attach_type_name(uint32_t attach_type)
{
    switch (attach_type) {
#define ELF_ATTACH_TYPE(ID, NAME, VALUE) case VALUE: return NAME;
#include "elf/elf_attach_types.def"
#undef ELF_ATTACH_TYPE
    default: return "unknown";
    }
}

const char *elf_core_relo_kind_name(uint32_t kind)
{
    static const char *const names[] = {
        "field_byte_offset", "field_byte_size", "field_exists", "field_signed", "field_lshift_u64",
        "field_rshift_u64", "type_id_local", "type_id_target", "type_exists", "type_size",
        "enumval_exists", "enumval_value", "type_matches",
    };
    return kind < sizeof names / sizeof names[0] ? names[kind] : "unknown";
}
