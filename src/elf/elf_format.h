/*
 * elf_format.h - the few facts of the ELF64 format (System V gABI) and of its eBPF processor supplement
 * that the loader needs, defined here because only src/platform/ may include OS headers (<elf.h>).
 * Offsets are into the on-disk little-endian records; every read goes through elf_rd16/32/64, which
 * assemble the value byte by byte, so the loader neither needs aligned input nor a little-endian host.
 */
#ifndef EBPF_ELF_FORMAT_H
#define EBPF_ELF_FORMAT_H

#include <stdint.h>

/* e_ident */
#define ELF_EI_NIDENT 16
#define ELF_EI_CLASS 4
#define ELF_EI_DATA 5
#define ELF_EI_VERSION 6
#define ELF_CLASS64 2
#define ELF_DATA2LSB 1
#define ELF_DATA2MSB 2
#define ELF_EV_CURRENT 1

#define ELF_ET_REL 1
#define ELF_EM_NONE 0           /* what LLVM BPF back ends before 3.9 wrote */
#define ELF_EM_BPF 247

/* ELF64 header: field offsets and size */
#define ELF_EHDR_SIZE 64
#define ELF_EHDR_TYPE 16
#define ELF_EHDR_MACHINE 18
#define ELF_EHDR_VERSION 20
#define ELF_EHDR_SHOFF 40
#define ELF_EHDR_EHSIZE 52
#define ELF_EHDR_SHENTSIZE 58
#define ELF_EHDR_SHNUM 60
#define ELF_EHDR_SHSTRNDX 62

/* ELF64 section header */
#define ELF_SHDR_SIZE 64
#define ELF_SHDR_NAME 0
#define ELF_SHDR_TYPE 4
#define ELF_SHDR_FLAGS 8
#define ELF_SHDR_OFFSET 24
#define ELF_SHDR_SIZE_FIELD 32
#define ELF_SHDR_LINK 40
#define ELF_SHDR_INFO 44
#define ELF_SHDR_ENTSIZE 56

#define ELF_SHT_NULL 0
#define ELF_SHT_PROGBITS 1
#define ELF_SHT_SYMTAB 2
#define ELF_SHT_STRTAB 3
#define ELF_SHT_RELA 4
#define ELF_SHT_NOBITS 8
#define ELF_SHT_REL 9
#define ELF_SHT_SYMTAB_SHNDX 18

#define ELF_SHF_WRITE 0x1
#define ELF_SHF_ALLOC 0x2
#define ELF_SHF_EXECINSTR 0x4

/* Special section indexes */
#define ELF_SHN_UNDEF 0
#define ELF_SHN_LORESERVE 0xff00
#define ELF_SHN_ABS 0xfff1
#define ELF_SHN_COMMON 0xfff2
#define ELF_SHN_XINDEX 0xffff

/* ELF64 symbol: 24 bytes */
#define ELF_SYM_SIZE 24
#define ELF_SYM_NAME 0
#define ELF_SYM_INFO 4
#define ELF_SYM_OTHER 5
#define ELF_SYM_SHNDX 6
#define ELF_SYM_VALUE 8
#define ELF_SYM_SIZE_FIELD 16

#define ELF_STB_LOCAL 0
#define ELF_STB_GLOBAL 1
#define ELF_STB_WEAK 2

#define ELF_STT_NOTYPE 0
#define ELF_STT_OBJECT 1
#define ELF_STT_FUNC 2
#define ELF_STT_SECTION 3
#define ELF_STT_FILE 4

/* ELF64 REL entry: 16 bytes, r_info = sym << 32 | type; RELA adds a signed 64-bit addend */
#define ELF_REL_SIZE 16
#define ELF_RELA_SIZE 24

/* eBPF relocation types (LLVM's BPF ELF ABI) */
#define ELF_R_BPF_NONE 0
#define ELF_R_BPF_64_64 1        /* lddw: map, global data or function address */
#define ELF_R_BPF_64_ABS64 2     /* 64-bit data word (.maps initial values, debug info) */
#define ELF_R_BPF_64_ABS32 3     /* 32-bit data word (debug info, BTF) */
#define ELF_R_BPF_64_NODYLD32 4  /* 32-bit data word not resolved at load time (BTF.ext) */
#define ELF_R_BPF_64_32 10       /* call: sub-program or external function */

/* eBPF instruction facts the loader acts on (the full list is src/isa/isa_insns.def) */
#define ELF_INSN_SIZE 8
#define ELF_OP_LDDW 0x18         /* BPF_LD | BPF_IMM | BPF_DW: two slots */
#define ELF_OP_CALL 0x85         /* BPF_JMP | BPF_CALL */
#define ELF_PSEUDO_CALL 1        /* call src: local sub-program, imm = pc-relative slot offset */
#define ELF_PSEUDO_MAP_FD 1      /* lddw src: imm names a map (here: the object's map index) */
#define ELF_PSEUDO_MAP_VALUE 2   /* lddw src: imm names a map, second slot imm = offset in its value */
#define ELF_PSEUDO_FUNC 4        /* lddw src: imm = pc-relative slot offset of a callback function */

static inline uint16_t elf_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t elf_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t elf_rd64(const uint8_t *p)
{
    return (uint64_t)elf_rd32(p) | (uint64_t)elf_rd32(p + 4) << 32;
}

#endif
