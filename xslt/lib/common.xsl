<?xml version="1.0" encoding="UTF-8"?>
<!--
  Helpers shared by account.xsl and global.xsl (both import this module). Functions only: no templates, no
  parameters, no global context, so it also compiles on its own (the registry compiles every .xsl it finds).

  Public (namespace p = urn:provisioning-proxy; tenant overrides may call them, or redefine them in an override,
  which then wins over this module by import precedence):
    p:first($candidates)            the first non-blank candidate, trimmed; empty when none is
    p:full-name($person, $userId)   first + last name of an XSI person element, else $userId
    p:sip-uri($address)             $address (trimmed) as a SIP URI: sip: added unless it has a sip:/sips: scheme
    p:dial-number($number)          a number as the app dials it: '+1 (202) 555-0100' -> '+12025550100'
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:p="urn:provisioning-proxy"
                exclude-result-prefixes="#all">

  <!-- the first of the candidates that is not blank, trimmed; empty when none is. Only that one is trimmed, and
       without a regular expression when there is nothing to trim (the usual case: it runs for every account key) -->
  <xsl:function name="p:first" as="xs:string?">
    <xsl:param name="candidates" as="item()*"/>
    <xsl:sequence select="(($candidates ! string(.))[normalize-space()])[1]
                          ! (if (normalize-space(.) eq .) then . else replace(., '^\s+|\s+$', ''))"/>
  </xsl:function>

  <!--
    The name a person is shown with: firstName and lastName (children of $person, by local name: XSI profile
    details, BLF userDetails), each normalize-space'd, blank ones dropped, joined by one space; $userId when both
    are blank (the caller says which user id, and how it is cleaned).
  -->
  <xsl:function name="p:full-name" as="xs:string?">
    <xsl:param name="person" as="element()?"/>
    <xsl:param name="userId" as="xs:string?"/>
    <xsl:variable name="name" select="string-join(($person/*:firstName, $person/*:lastName)[normalize-space()] ! normalize-space(), ' ')"/>
    <xsl:sequence select="if ($name) then $name else $userId"/>
  </xsl:function>

  <!--
    An address as a SIP URI: trimmed, 'sip:' put before it unless it already has a sip: or sips: scheme (any case);
    empty when it is blank. XSI gives user ids and resource-list URIs as user@host, without a scheme.
  -->
  <xsl:function name="p:sip-uri" as="xs:string?">
    <xsl:param name="address" as="item()?"/>
    <xsl:sequence select="p:first($address) ! (if (matches(., '^sips?:', 'i')) then . else 'sip:' || .)"/>
  </xsl:function>

  <!--
    A number as the app dials it. Written with spaces, dashes, dots or parentheses ('+1 (202) 555-0100',
    '202.555.0100'), those go and a leading + stays; anything else (an extension, a SIP address with letters) is
    kept as it is, trimmed. Empty when nothing dialable is left. The same rule as DialNumbers.normalize in Java (the
    dial action web service); DialNumbersTest holds both to one table of cases (visibility public: it calls this
    function from Java).
  -->
  <xsl:function name="p:dial-number" as="xs:string?" visibility="public">
    <xsl:param name="number" as="item()?"/>
    <xsl:variable name="written" select="p:first($number)"/>
    <xsl:sequence select="(if (matches($written, '^\+?[0-9*#() \t\n\r.\-]*[0-9][0-9*#() \t\n\r.\-]*$'))
                           then replace($written, '[() \t\n\r.\-]', '')
                           else $written)[. != '']"/>
  </xsl:function>

</xsl:stylesheet>
