#ifndef RT_SPEC_DEFAULT_H
#define RT_SPEC_DEFAULT_H
#endif
