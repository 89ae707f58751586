/* A Bison parser, made by GNU Bison 3.8.2.  */

/* Bison interface for Yacc-like parsers in C

   Copyright (C) 1984, 1989-1990, 2000-2015, 2018-2021 Free Software Foundation,
   Inc.

   This program is free software: you can redistribute it and/or modify
   it under the terms of the GNU General Public License as published by
   the Free Software Foundation, either version 3 of the License, or
   (at your option) any later version.

   This program is distributed in the hope that it will be useful,
   but WITHOUT ANY WARRANTY; without even the implied warranty of
   MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
   GNU General Public License for more details.

   You should have received a copy of the GNU General Public License
   along with this program.  If not, see <https://www.gnu.org/licenses/>.  */

/* As a special exception, you may create a larger work that contains
   part or all of the Bison parser skeleton and distribute that work
   under terms of your choice, so long as that work isn't itself a
   parser generator using the skeleton or a modified version thereof
   as a parser skeleton.  Alternatively, if you modify or redistribute
   the parser skeleton itself, you may (at your option) remove this
   special exception, which will cause the skeleton and the resulting
   Bison output files to be licensed under the GNU General Public
   License without this special exception.

   This special exception was added by the Free Software Foundation in
   version 2.2 of Bison.  */

/* DO NOT RELY ON FEATURES THAT ARE NOT DOCUMENTED in the manual,
   especially those whose name start with YY_ or yy_.  They are
   private implementation details that can be changed or removed.  */

#ifndef YY_MDK_YY_BUILD_CHK_GEN_PARSER_H_INCLUDED
# define YY_MDK_YY_BUILD_CHK_GEN_PARSER_H_INCLUDED
/* Debug traces.  */
#ifndef MDK_YYDEBUG
# if defined YYDEBUG
#if YYDEBUG
#   define MDK_YYDEBUG 1
#  else
#   define MDK_YYDEBUG 0
#  endif
# else /* ! defined YYDEBUG */
#  define MDK_YYDEBUG 0
# endif /* ! defined YYDEBUG */
#endif  /* ! defined MDK_YYDEBUG */
#if MDK_YYDEBUG
extern int mdk_yydebug;
#endif
/* "%code requires" blocks.  */
#line 8 "grammar/parser.y"

#include "frontend/scanner.h"

#line 61 "build-chk/gen/parser.h"

/* Token kinds.  */
#ifndef MDK_YYTOKENTYPE
# define MDK_YYTOKENTYPE
  enum mdk_yytokentype
  {
    MDK_YYEMPTY = -2,
    MDK_YYEOF = 0,                 /* "end of file"  */
    MDK_YYerror = 256,             /* error  */
    MDK_YYUNDEF = 257,             /* "invalid token"  */
    T_DIRECTIVE = 258,             /* "parser directive"  */
    T_COMMENT = 259,               /* "comment"  */
    T_BLANK = 260,                 /* "blank line"  */
    T_TEXT = 261,                  /* "line"  */
    T_TEXT_CONT = 262,             /* "continued line"  */
    T_HD_LINE = 263,               /* "heredoc line"  */
    T_HD_END = 264,                /* "heredoc terminator"  */
    T_HD_UNTERM = 265,             /* "end of file in heredoc"  */
    T_TOOLONG = 266,               /* "overlong line"  */
    T_HD_TOOLONG = 267,            /* "overlong heredoc line"  */
    T_EOF = 268                    /* "end of file"  */
  };
  typedef enum mdk_yytokentype mdk_yytoken_kind_t;
#endif

/* Value type.  */
#if ! defined MDK_YYSTYPE && ! defined MDK_YYSTYPE_IS_DECLARED
typedef struct mdk_fe_tok MDK_YYSTYPE;
# define MDK_YYSTYPE_IS_TRIVIAL 1
# define MDK_YYSTYPE_IS_DECLARED 1
#endif

/* Location type.  */
typedef struct mdk_fe_span MDK_YYLTYPE;




int mdk_yyparse (struct mdk_fe_parser *p);


#endif /* !YY_MDK_YY_BUILD_CHK_GEN_PARSER_H_INCLUDED  */
